using System.Diagnostics;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace PaduHub.Database;

/// <summary>
/// Applies the numbered scripts in sql/ in order. Each script runs in its own transaction together with its
/// row in padu_schema_version, so a failed script leaves no trace; the whole run holds an advisory lock so two
/// hubs starting at once apply each script exactly once. A database that is ahead of this code, or whose
/// applied scripts differ from the shipped ones, is refused: never edit a script once it has shipped.
/// </summary>
public static partial class SchemaMigrator
{
    // Any constant will do; it only has to be the same for every PaduHub process.
    const long AdvisoryLockKey = 0x5041_4455_4855_42; // "PADUHUB"

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex ScriptName();

    /// <summary>The scripts shipped inside this assembly.</summary>
    public static IReadOnlyList<Migration> Shipped { get; } = LoadShipped();

    public static int LatestVersion => Shipped.Count == 0 ? 0 : Shipped[^1].Version;

    static List<Migration> LoadShipped()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var scripts = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("sql/", StringComparison.Ordinal)))
        {
            var fileName = resource["sql/".Length..];
            var match = ScriptName().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException($"sql/{fileName} is not named NNNN_name.sql");
            }
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            scripts.Add(new Migration(int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture),
                match.Groups["name"].Value, reader.ReadToEnd()));
        }
        return Validate(scripts);
    }

    internal static List<Migration> Validate(List<Migration> scripts)
    {
        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < scripts.Count; i++)
        {
            if (scripts[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"sql/ must hold migrations numbered 0001, 0002, ... without gaps or repeats; found {scripts[i].Version:0000} at position {i + 1}");
            }
        }
        return scripts;
    }

    /// <summary>Brings the database up to the shipped schema.</summary>
    public static Task<MigrationResult> MigrateAsync(string connectionString, ILogger? logger = null, CancellationToken cancellationToken = default)
        => MigrateAsync(connectionString, Shipped, logger, cancellationToken);

    /// <summary>Brings the database up to <paramref name="migrations"/> (tests pass their own list).</summary>
    public static async Task<MigrationResult> MigrateAsync(string connectionString, IReadOnlyList<Migration> migrations,
        ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        logger ??= NullLogger.Instance;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_lock(@key)", new { key = AdvisoryLockKey },
            cancellationToken: cancellationToken));
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                create table if not exists padu_schema_version (
                    version     int primary key,
                    name        text not null,
                    checksum    text not null,
                    applied_at  timestamptz not null default now()
                )
                """, cancellationToken: cancellationToken));

            var applied = (await connection.QueryAsync<(int Version, string Name, string Checksum)>(new CommandDefinition(
                "select version, name, checksum from padu_schema_version order by version", cancellationToken: cancellationToken))).ToList();
            CheckAppliedAgainstShipped(applied, migrations);

            var done = new List<Migration>();
            foreach (var migration in migrations.Where(m => m.Version > (applied.Count == 0 ? 0 : applied[^1].Version)))
            {
                var watch = Stopwatch.StartNew();
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    "insert into padu_schema_version (version, name, checksum) values (@Version, @Name, @Checksum)",
                    migration, transaction, cancellationToken: cancellationToken));
                await transaction.CommitAsync(cancellationToken);
                Log.MigrationApplied(logger, migration.Version, migration.Name, watch.ElapsedMilliseconds);
                done.Add(migration);
            }
            var version = migrations.Count == 0 ? 0 : Math.Max(migrations[^1].Version, applied.Count == 0 ? 0 : applied[^1].Version);
            Log.SchemaAt(logger, version);
            // Tables a migration made belong to the administrator that ran it; the hub's role is given them (0015).
            if (done.Count > 0 && await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                    "select to_regprocedure('padu_hand_over()') is not null", cancellationToken: cancellationToken)))
            {
                await connection.ExecuteAsync(new CommandDefinition("select padu_hand_over()", cancellationToken: cancellationToken));
            }
            // Types created by a migration (enums, composites) must be reloaded by Npgsql before use.
            if (done.Count > 0)
            {
                await connection.ReloadTypesAsync(cancellationToken);
            }
            return new MigrationResult(version, done);
        }
        finally
        {
            await connection.ExecuteAsync("select pg_advisory_unlock(@key)", new { key = AdvisoryLockKey });
        }
    }

    static void CheckAppliedAgainstShipped(List<(int Version, string Name, string Checksum)> applied, IReadOnlyList<Migration> shipped)
    {
        var latest = shipped.Count == 0 ? 0 : shipped[^1].Version;
        if (applied.Count > 0 && applied[^1].Version > latest)
        {
            throw new SchemaMismatchException(
                $"The database schema is at version {applied[^1].Version} ({applied[^1].Name}), newer than this PaduHub, which knows "
                + $"migrations up to {latest}. It was upgraded by a newer PaduHub: run that version, or point this one at another database.");
        }
        foreach (var row in applied)
        {
            var script = shipped.FirstOrDefault(m => m.Version == row.Version);
            if (script is not null && script.Checksum != row.Checksum)
            {
                throw new SchemaMismatchException(
                    $"Migration {row.Version:0000}_{row.Name} was changed after it was applied to this database. Shipped scripts "
                    + "must never be edited; put the change in a new numbered script.");
            }
        }
    }

    /// <summary>The version the database is at, or 0 when it was never migrated.</summary>
    public static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select to_regclass('padu_schema_version') is not null", cancellationToken: cancellationToken));
        if (!exists)
        {
            return 0;
        }
        return await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "select max(version) from padu_schema_version", cancellationToken: cancellationToken)) ?? 0;
    }
}
