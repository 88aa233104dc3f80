namespace PaduHub.Database;

/// <summary>The database was migrated by a newer PaduHub, or a shipped script was edited: refuse to touch it.</summary>
public sealed class SchemaMismatchException(string message) : Exception(message);
