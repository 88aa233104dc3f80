using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using PaduHub.Matching;

namespace PaduHub.GoldenRecords;

/// <summary>Each matching run's row in <c>match_run</c>: opened when it starts, finished with its counts and timings.</summary>
static class MatchRunJournal
{
    static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task<MatchRunStamp> StartAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string kind)
    {
        var (id, startedAt) = await connection.QuerySingleAsync<(long, DateTime)>(
            "insert into match_run (kind) values (@kind) returning id, started_at", new { kind }, tx);
        return new MatchRunStamp(id, startedAt);
    }

    public static async Task<MatchRunReport> FinishAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long runId, string kind, int records,
        long pairs, SettlementCounts applied, int review, Dictionary<string, double> seconds, ModelEstimate estimate, ILogger? logger)
    {
        await connection.ExecuteAsync("""
            update match_run set finished_at = clock_timestamp(), records = @records, pairs_compared = @pairs, golden_created = @Created,
                golden_changed = @Changed, golden_retired = @Retired, review = @review, seconds = @seconds::jsonb,
                estimate = @estimate::jsonb
            where id = @runId
            """, new
        {
            runId,
            records,
            pairs,
            applied.Created,
            applied.Changed,
            applied.Retired,
            review,
            seconds = JsonSerializer.Serialize(seconds),
            estimate = JsonSerializer.Serialize(estimate, s_json),
        }, tx);
        if (logger is not null)
        {
            Log.MatchRunFinished(logger, kind, runId, records, applied.Created, applied.Changed, applied.Retired, review);
            if (kind == "full")
            {
                Log.MatchRunEstimate(logger, runId, estimate.Describe()); // an incremental run's few pairs say little
            }
        }
        return new MatchRunReport(runId, kind, records, pairs, applied.Created, applied.Changed, applied.Retired, review, seconds, estimate);
    }
}
