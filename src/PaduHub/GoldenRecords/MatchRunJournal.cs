using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace PaduHub.GoldenRecords;

/// <summary>Each matching run's row in <c>match_run</c>: opened when it starts, finished with its counts and timings.</summary>
static class MatchRunJournal
{
    public static async Task<MatchRunStamp> StartAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string kind)
    {
        var (id, startedAt) = await connection.QuerySingleAsync<(long, DateTime)>(
            "insert into match_run (kind) values (@kind) returning id, started_at", new { kind }, tx);
        return new MatchRunStamp(id, startedAt);
    }

    public static async Task<MatchRunReport> FinishAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long runId, string kind, int records,
        long pairs, SettlementCounts applied, int review, Dictionary<string, double> seconds, ILogger? logger)
    {
        await connection.ExecuteAsync("""
            update match_run set finished_at = clock_timestamp(), records = @records, pairs_compared = @pairs, golden_created = @Created,
                golden_changed = @Changed, golden_retired = @Retired, review = @review, seconds = @seconds::jsonb
            where id = @runId
            """, new { runId, records, pairs, applied.Created, applied.Changed, applied.Retired, review, seconds = JsonSerializer.Serialize(seconds) }, tx);
        if (logger is not null)
        {
            Log.MatchRunFinished(logger, kind, runId, records, applied.Created, applied.Changed, applied.Retired, review);
        }
        return new MatchRunReport(runId, kind, records, pairs, applied.Created, applied.Changed, applied.Retired, review, seconds);
    }
}
