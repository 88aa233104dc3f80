namespace PaduHub.Access;

/// <summary>One line of the access audit: who asked, why, about whom, which fields went out, what was answered.</summary>
public sealed record AuditEntry(long? ClientId, string? ClientName, string? Purpose, string Action, string? Subject, string[]? Fields, int Status)
{
    public DateTime At { get; init; } = DateTime.UtcNow;
}
