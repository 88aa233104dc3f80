namespace PaduHub.Database;

/// <summary>What a migration run did.</summary>
public sealed record MigrationResult(int SchemaVersion, IReadOnlyList<Migration> Applied);
