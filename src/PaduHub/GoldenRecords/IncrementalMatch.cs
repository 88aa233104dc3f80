using System.Diagnostics;
using Dapper;
using Npgsql;
using PaduHub.Ingestion;
using PaduHub.Matching;
using static PaduHub.GoldenRecords.MatchingSetup;

namespace PaduHub.GoldenRecords;

/// <summary>
/// An incremental match: the source records ingestion queued go into the standing index, which gives their
/// candidates; their neighbourhood (the candidates and every record of the golden records they touch) is clustered
/// again with the stored model, the same clustering a full run would give there, and only those golden records change.
/// Its commit does not wait for the disk (docs/decisions/0002-asynchronous-commit-of-incremental-runs.md).
/// </summary>
static class IncrementalMatch
{
    /// <summary>At most this long of incremental runs lives only in the open index before it is committed to disk.</summary>
    public static readonly TimeSpan IndexCommitEvery = TimeSpan.FromSeconds(10);

    /// <summary>Null when nothing was queued; a full re-match when there is no model or finished run yet (the first load).</summary>
    public static async Task<MatchRunReport?> RunAsync(MatchingSetup setup, StoredModels models, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var seconds = new Dictionary<string, double>();
        await using var connection = await setup.OpenAsync(cancellationToken);
        // A first load queues every record it brought, so only a long queue can follow one; the check is kept off the
        // one-record path, where its catalog planning would cost more than the rest.
        if (await connection.ExecuteScalarAsync<bool>("select exists (select 1 from match_queue offset 10000)"))
        {
            await FirstLoad.AnalyzeAfterFirstLoadsAsync(connection, setup.Logger, cancellationToken);
        }
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        // Loading a neighbourhood takes generic plans: planning it on the partitioned source tables cost more than
        // running it (custom plans are for the write, whose arguments range from one id to a million).
        await connection.ExecuteAsync("""
            select pg_advisory_xact_lock(@MatchingLock);
            set local synchronous_commit = off;
            set local plan_cache_mode = auto;
            """, new { MatchingLock }, tx);
        var stored = await connection.QuerySingleOrDefaultAsync<long?>("select max(id) from match_model", transaction: tx);
        var lastRun = (await connection.QueryAsync<(long Id, DateTime StartedAt)>(
                "select id, started_at from match_run where finished_at is not null order by id desc limit 1", transaction: tx))
            .Select(r => (MatchRunStamp?)new MatchRunStamp(r.Id, r.StartedAt)).FirstOrDefault();
        if (stored is null || lastRun is null)
        {
            await tx.RollbackAsync(cancellationToken);
            await connection.CloseAsync();
            return await FullRematch.RunAsync(setup, retrain: true, cancellationToken);
        }
        var queued = (await connection.QueryAsync<long>("delete from match_queue returning source_record_id", transaction: tx, commandTimeout: 0))
            .Distinct().Order().ToArray();
        if (queued.Length == 0)
        {
            await tx.RollbackAsync(cancellationToken);
            return null;
        }
        var model = await models.NewestAsync(connection, tx);
        if (!model.IsCurrent)
        {
            // Put back what was taken from the queue: the full run that follows rebuilds everything and empties it.
            await tx.RollbackAsync(cancellationToken);
            await connection.CloseAsync();
            if (setup.Logger is not null)
            {
                Log.StoredModelOutdated(setup.Logger);
            }
            return await FullRematch.RunAsync(setup, retrain: true, cancellationToken);
        }
        var run = await MatchRunJournal.StartAsync(connection, tx, "incremental");
        // Loading's parts, each timed: the standing index, the neighbourhood's ids, its records, and normalising them.
        var part = Stopwatch.StartNew();
        seconds["load_queue"] = Math.Round(clock.Elapsed.TotalSeconds, 4);

        var slot = StandingIndex.For(setup.IndexFolderOf(connection));
        await slot.Gate.WaitAsync(cancellationToken);
        try
        {
            var index = await IndexAtAsync(setup, connection, tx, slot, lastRun.Value, seconds);
            var (people, records, scope) = await NeighbourhoodAsync(connection, tx, index, queued, seconds, part);
            seconds["load"] = Lap(clock);
            var report = await MatchAndWriteAsync(setup, connection, tx, run, model, queued, people, records, scope, seconds, clock, cancellationToken);
            await CommitAsync(connection, tx, index, slot, run, cancellationToken);
            return report;
        }
        catch
        {
            // Nothing this run put in the index may outlive it: drop the uncommitted changes, and the next run reopens
            // the index at its last commit if that still matches the database, or rebuilds it.
            slot.Abandon();
            throw;
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    /// <summary>
    /// Commits the run and stamps the open index with it. A Lucene commit writes and syncs its files, more than all of a
    /// run's writing to PostgreSQL. So a run only stamps the open index, made durable every few seconds and when it
    /// closes; a crash in between costs a rebuild of the index on the next run, nothing else. A run that commits the
    /// index first waits for its own commit to reach the disk, and with it every run before it.
    /// </summary>
    static async Task CommitAsync(NpgsqlConnection connection, NpgsqlTransaction tx, MatchIndex index, StandingIndex slot, MatchRunStamp run,
        CancellationToken cancellationToken)
    {
        var commitIndex = index.SinceCommit > IndexCommitEvery;
        if (commitIndex)
        {
            await connection.ExecuteAsync("set local synchronous_commit = on", transaction: tx);
        }
        await tx.CommitAsync(cancellationToken);
        if (commitIndex)
        {
            index.Commit(run);
        }
        else
        {
            index.Stamp(run);
        }
        slot.Run = run;
        slot.KeepOpenAWhile();
    }

    /// <summary>
    /// The standing index as of the last finished run: the open one, or the one on disk, caught up with the runs it
    /// missed (another worker ran them, or this one was stopped), or one rebuilt from the database. The run's seconds
    /// say which (index_catch_up or index_rebuild), and so does the log.
    /// </summary>
    static async Task<MatchIndex> IndexAtAsync(MatchingSetup setup, NpgsqlConnection connection, NpgsqlTransaction tx, StandingIndex slot,
        MatchRunStamp lastRun, Dictionary<string, double> seconds)
    {
        if (slot.Index is not null && slot.Run == lastRun)
        {
            return slot.Index;
        }
        var watch = Stopwatch.StartNew();
        var folder = setup.IndexFolderOf(connection);
        MatchRunStamp? held = slot.Index is not null ? slot.Run : null;
        if (held is null)
        {
            slot.Close();
            held = MatchIndex.StampOnDisk(folder);
        }
        var (since, whyRebuild) = held is { } h ? await IndexCatchUp.RecordsSinceAsync(connection, tx, h, lastRun) : (null, "this worker has none");
        MatchIndex index;
        if (since is not null)
        {
            index = slot.Index ?? MatchIndex.OpenAsItIs(folder, setup.Settings);
            try
            {
                await IndexCatchUp.ApplyAsync(connection, tx, index, since);
            }
            catch
            {
                slot.Index = index;
                throw;
            }
            index.Stamp(lastRun);
            seconds["index_catch_up"] = Math.Round(watch.Elapsed.TotalSeconds, 4);
            if (setup.Logger is not null)
            {
                Log.StandingIndexCaughtUp(setup.Logger, held!.Value.Id, lastRun.Id, since.Length, watch.ElapsedMilliseconds);
            }
        }
        else
        {
            slot.Close();
            var (_, all) = await SourcePerson.LoadAllForMatchingAsync(connection, tx, new HashSet<string>(), Today);
            index = MatchIndex.Rebuild(folder, all, lastRun, setup.Settings);
            seconds["index_rebuild"] = Math.Round(watch.Elapsed.TotalSeconds, 4);
            if (setup.Logger is not null)
            {
                Log.StandingIndexRebuilt(setup.Logger, lastRun.Id, all.Count, whyRebuild!, watch.ElapsedMilliseconds);
            }
        }
        (slot.Index, slot.Run) = (index, lastRun);
        return index;
    }

    /// <summary>
    /// The queued records put in the index, and their neighbourhood loaded: their candidates, every record of the
    /// golden records those are in, and records a steward tied to any of them. Each part timed on <paramref name="part"/>.
    /// </summary>
    static async Task<(List<SourcePerson> People, List<MatchRecord> Records, HashSet<long> Scope)> NeighbourhoodAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, MatchIndex index, long[] queued, Dictionary<string, double> seconds,
        Stopwatch part)
    {
        var changedRecords = await IndexCatchUp.ApplyAsync(connection, tx, index, queued);
        var candidates = index.Candidates(changedRecords);
        candidates.UnionWith(queued);
        seconds["load_index"] = Lap(part);
        var scope = (await connection.QueryAsync<long>("select distinct golden_id from golden_member where source_record_id = any(@ids)",
            new { ids = candidates.ToArray() }, tx)).ToHashSet();
        var neighbourhood = (await connection.QueryAsync<long>("select source_record_id from golden_member where golden_id = any(@scope)",
            new { scope = scope.ToArray() }, tx)).ToHashSet();
        neighbourhood.UnionWith(candidates);
        // A record a steward tied to one of these comes too, so the decision can hold.
        neighbourhood.UnionWith(await connection.QueryAsync<long>(
            "select source_b from match_decision where source_a = any(@ids) union select source_a from match_decision where source_b = any(@ids)",
            new { ids = neighbourhood.ToArray() }, tx));
        seconds["load_scope"] = Lap(part);
        var people = await SourcePerson.LoadAsync(connection, tx, neighbourhood.Order().ToArray());
        seconds["load_people"] = Lap(part);
        var registered = await SourcePerson.RegisteredMyKadsAsync(connection, tx, SourcePerson.MyKadsOf(people));
        var records = SourcePerson.ToMatchRecords(people, registered, Today);
        seconds["load_normalise"] = Lap(part);
        return (people, records, scope);
    }

    static async Task<MatchRunReport> MatchAndWriteAsync(MatchingSetup setup, NpgsqlConnection connection, NpgsqlTransaction tx,
        MatchRunStamp run, MatchModel model, long[] queued, List<SourcePerson> people, List<MatchRecord> records, HashSet<long> scope,
        Dictionary<string, double> seconds, Stopwatch clock, CancellationToken cancellationToken)
    {
        var decisions = await StewardDecisions.LoadAsync(connection, tx, people, people.Select(p => p.Id).ToArray());
        var result = Linkage.Run(records, setup.Settings, model, decisions.MustLink, decisions.CannotLink);
        setup.LogLeftOut(run.Id, "incremental", result);
        foreach (var (k, v) in result.Seconds)
        {
            seconds[k] = v;
        }
        clock.Restart();
        var applied = await GoldenSettlement.SettleAsync(connection, tx, setup.Contracts, people, result, scope, full: false, cancellationToken,
            arrived: queued);
        seconds["write"] = Lap(clock);
        // What this run matched, for the standing index of a worker that did not run it (IndexCatchUp).
        await connection.ExecuteAsync("insert into match_run_record (run_id, source_record_id) select @run, unnest(@queued)",
            new { run = run.Id, queued }, tx);
        return await MatchRunJournal.FinishAsync(connection, tx, run.Id, "incremental", queued.Length, result.Blocking.PairsCompared, applied,
            result.Review.Count, seconds, result.Estimate, setup.Logger);
    }
}
