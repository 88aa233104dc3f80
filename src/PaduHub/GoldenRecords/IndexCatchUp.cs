using Dapper;
using Npgsql;

namespace PaduHub.GoldenRecords;

/// <summary>
/// A standing index that missed some runs, brought up to the database's last run. On a hub with several workers the
/// run before this one often ran elsewhere, and a worker back from a stop finds its index runs behind: the records
/// those runs matched (match_run_record) are put in again or taken out, which costs what the runs' own records cost.
/// An index is rebuilt instead when a full run came between (it rebuilt every index), when its run is not in the
/// database (lost in a crash, or the index comes from another database), or when so many records changed that one
/// rebuild is cheaper.
/// </summary>
static class IndexCatchUp
{
    /// <summary>More changed records than this, and the index is rebuilt rather than caught up.</summary>
    public const int MostRecords = 250_000;

    /// <summary>The records matched by the runs after <paramref name="held"/> up to <paramref name="last"/>, or why the index must be rebuilt.</summary>
    public static async Task<(long[]? Records, string? WhyRebuild)> RecordsSinceAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        MatchRunStamp held, MatchRunStamp last)
    {
        var runs = (await connection.QueryAsync<(long Id, string Kind, DateTime StartedAt, bool Listed)>("""
            select r.id, r.kind, r.started_at, exists (select 1 from match_run_record m where m.run_id = r.id)
            from match_run r where r.id between @held and @last and r.finished_at is not null order by r.id
            """, new { held = held.Id, last = last.Id }, tx)).AsList();
        if (runs.Count == 0 || runs[0].Id != held.Id || runs[0].StartedAt != held.StartedAt)
        {
            return (null, $"the run it reflects ({held.Id}) is not in the database");
        }
        if (runs.Skip(1).FirstOrDefault(r => r.Kind == "full") is { Id: > 0 } full)
        {
            return (null, $"full run {full.Id} came after the run it reflects ({held.Id})");
        }
        if (runs.Skip(1).FirstOrDefault(r => !r.Listed) is { Id: > 0 } unlisted)
        {
            return (null, $"run {unlisted.Id}'s records are no longer kept");
        }
        var records = (await connection.QueryAsync<long>(
            "select distinct source_record_id from match_run_record where run_id > @held and run_id <= @last limit @limit",
            new { held = held.Id, last = last.Id, limit = MostRecords + 1 }, tx)).AsList();
        return records.Count > MostRecords
            ? (null, $"more than {MostRecords:N0} records were matched since the run it reflects ({held.Id})")
            : (records.Order().ToArray(), null);
    }

    /// <summary>The records as the database holds them now put in the index; those no longer active taken out.</summary>
    public static async Task<List<Matching.MatchRecord>> ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, MatchIndex index, long[] ids)
    {
        var people = await SourcePerson.LoadAsync(connection, tx, ids);
        // Blocking does not look at verification; the clustering does, with the numbers the neighbourhood carries.
        var records = SourcePerson.ToMatchRecords(people, new HashSet<string>(), MatchingSetup.Today);
        foreach (var gone in ids.Except(people.Select(p => p.Id)))
        {
            index.Remove(gone);
        }
        foreach (var record in records)
        {
            index.Put(record);
        }
        return records;
    }

    public static async Task<int> PruneAsync(MatchingSetup setup, TimeSpan keep, CancellationToken cancellationToken)
    {
        await using var connection = await setup.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "delete from match_run_record where run_id in (select id from match_run where started_at < now() - @keep)",
            new { keep }, cancellationToken: cancellationToken, commandTimeout: 0));
    }
}
