using PaduHub.Access;

namespace PaduHub.Server.Api;

/// <summary>A request let through the gate: the client, and the purpose it gave for a personal-data read.</summary>
sealed record Admitted(ApiClient Client, string? Purpose);
