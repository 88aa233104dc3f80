namespace PaduHub.Database;

/// <summary>A clear, actionable failure of the embedded database (missing binaries, initdb refused, ...).</summary>
public sealed class EmbeddedPostgresException(string message) : Exception(message);
