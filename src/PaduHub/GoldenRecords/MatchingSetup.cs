using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using PaduHub.Ingestion;
using PaduHub.Matching;

namespace PaduHub.GoldenRecords;

/// <summary>What every matching run needs: its database, the standing index's folder, the agencies' contracts, the settings.</summary>
sealed class MatchingSetup(string connectionString, AgencyContracts contracts, string indexFolder, MatchSettings settings, ILogger? logger)
{
    /// <summary>One advisory lock for every run, so a full and an incremental run never interleave.</summary>
    public const long MatchingLock = 0x5041_4455_4D41_5443; // "PADUMATC"

    public AgencyContracts Contracts => contracts;
    public MatchSettings Settings => settings;
    public ILogger? Logger => logger;

    /// <summary>
    /// Matching's own pool. Its statements are parsed once per session, but still planned for each run's own arguments:
    /// the same statements take one id or a million, and a generic plan for a million is slow for one (see
    /// docs/decisions/0003-generic-plans-for-key-lookups.md for the read API's opposite choice). A session is not reset
    /// when it goes back to the pool: matching sets nothing beyond its transaction (SET LOCAL, transaction-level advisory
    /// locks) and its staging tables empty themselves at commit. Nor does matching start parallel workers: their start-up
    /// cost more than the work around one incremental record, and a full run keeps both cores busy itself.
    /// </summary>
    readonly string _matchingConnectionString = MatchingConnectionString(connectionString);

    static string MatchingConnectionString(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64, AutoPrepareMinUsages = 2, NoResetOnClose = true };
        Database.PaduDatabase.AddServerSetting(builder, "plan_cache_mode=force_custom_plan");
        Database.PaduDatabase.AddServerSetting(builder, "max_parallel_workers_per_gather=0");
        return builder.ConnectionString;
    }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_matchingConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>One index per database, so two hubs (or two test databases) sharing a folder never share an index.</summary>
    public string IndexFolderOf(NpgsqlConnection connection) => Path.Combine(indexFolder, connection.Database);

    /// <summary>Common values blocking would not search on and records it could do nothing with, said once a run, by count.</summary>
    public void LogLeftOut(long runId, string kind, LinkageResult result)
    {
        if (logger is not null && result.Blocking.LeftOut(settings) is { } leftOut)
        {
            Log.BlockingLeftOut(logger, runId, kind, leftOut);
        }
    }

    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>Seconds since the clock last started, rounded; the clock starts again.</summary>
    public static double Lap(Stopwatch clock)
    {
        var s = Math.Round(clock.Elapsed.TotalSeconds, 4);
        clock.Restart();
        return s;
    }
}
