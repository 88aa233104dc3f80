using System.Diagnostics;
using Dapper;
using Npgsql;
using PaduHub.Ingestion;
using PaduHub.Matching;
using static PaduHub.GoldenRecords.MatchingSetup;

namespace PaduHub.GoldenRecords;

/// <summary>
/// A full re-match: every active source record read, the model trained afresh (or the stored one reused), everything
/// clustered and golden ids settled against the previous ones, with the standing index rebuilt beside it.
/// </summary>
static class FullRematch
{
    /// <remarks><c>retrain</c>: train a new model; false re-matches everything with the stored model.</remarks>
    public static async Task<MatchRunReport> RunAsync(MatchingSetup setup, bool retrain, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var seconds = new Dictionary<string, double>();
        await using var connection = await setup.OpenAsync(cancellationToken);
        // Before the run's transaction, so the statistics are in place for its plans and no lock of theirs is held long.
        await FirstLoad.AnalyzeAfterFirstLoadsAsync(connection, setup.Logger, cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("select pg_advisory_xact_lock(@MatchingLock)", new { MatchingLock }, tx);
        var run = await MatchRunJournal.StartAsync(connection, tx, "full");
        await connection.ExecuteAsync("delete from match_queue", transaction: tx, commandTimeout: 0);

        var registered = await SourcePerson.RegisteredMyKadsAsync(connection, tx);
        seconds["load_start"] = Math.Round(clock.Elapsed.TotalSeconds, 4);
        var (people, records) = await SourcePerson.LoadAllForMatchingAsync(connection, tx, registered, Today, seconds);
        seconds["load"] = Lap(clock);

        var folder = setup.IndexFolderOf(connection);
        var slot = StandingIndex.For(folder);
        await slot.Gate.WaitAsync(CancellationToken.None);
        try
        {
            slot.Close();
            // The standing index is built beside the rest of the run, on a thread that only takes a core nothing else
            // wants: blocking, training and clustering leave one of the two idle, and writing leaves this process's
            // mostly idle while PostgreSQL parses. It is committed only after the database, stamped with this run.
            using var giveUp = new CancellationTokenSource();
            var building = MatchIndex.BuildBeside(folder, records, setup.Settings, giveUp.Token);
            try
            {
                var report = await MatchAndWriteAsync(setup, connection, tx, run, retrain, people, records, seconds, clock, building, cancellationToken);
                var index = await building;
                index.Commit(run);
                (slot.Index, slot.Run) = (index, run);
                slot.KeepOpenAWhile();
                // The run emptied the queue and rewrote these tables: vacuumed and analysed here at full speed, the next
                // one-record runs do not step over dead rows, nor meet autovacuum's throttled rewrite a minute later.
                await connection.ExecuteAsync(
                    "vacuum (analyze) match_queue, golden_person, golden_person_history, golden_member, golden_identifier, match_pair",
                    commandTimeout: 0);
                return report;
            }
            catch
            {
                // The index's last commit still matches the database's last run: give the new one up (a build that
                // failed or was stopped gave itself up).
                await giveUp.CancelAsync();
                await Task.WhenAny(building);
                if (building.IsCompletedSuccessfully)
                {
                    building.Result.Abandon();
                }
                throw;
            }
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    /// <summary>A full run once its records are loaded: linkage, the model, the write, and the wait for the standing index.</summary>
    static async Task<MatchRunReport> MatchAndWriteAsync(MatchingSetup setup, NpgsqlConnection connection, NpgsqlTransaction tx,
        MatchRunStamp run, bool retrain, List<SourcePerson> people, List<MatchRecord> records, Dictionary<string, double> seconds,
        Stopwatch clock, Task<MatchIndex> building, CancellationToken cancellationToken)
    {
        var storedJson = retrain ? null : await StoredModels.NewestJsonAsync(connection, tx);
        var stored = storedJson is null ? null : StoredModel.Parse(storedJson);
        if (stored is { IsCurrent: false })
        {
            if (setup.Logger is not null)
            {
                Log.StoredModelOutdated(setup.Logger);
            }
            stored = null;
        }
        var decisions = await StewardDecisions.LoadAsync(connection, tx, people, null);
        var result = Linkage.Run(records, setup.Settings, stored,
            decisions.MustLink, decisions.CannotLink);
        if (stored is null && decisions.All.Count > 0)
        {
            // Steward decisions are labelled pairs: the new model learns from them, then the run is clustered with it.
            // The refined model scores the same candidates, compared already.
            foreach (var (k, v) in result.Seconds)
            {
                seconds[k] = v;
            }
            var refined = ModelTraining.Refine(result.Model, records, result.Candidates, decisions.All, result.Patterns);
            result = Linkage.Run(records, setup.Settings, refined, decisions.MustLink, decisions.CannotLink, again: result);
        }
        foreach (var (k, v) in result.Seconds)
        {
            seconds[k] = Math.Round(seconds.GetValueOrDefault(k) + v, 3);
        }
        clock.Restart();
        if (stored is null && result.Model.LocationVoteDropped && setup.Logger is not null)
        {
            Log.LocationVoteDropped(setup.Logger, run.Id);
        }
        if (stored is null && result.Model.Sanity.FellBack && setup.Logger is not null)
        {
            Log.ModelFellBack(setup.Logger, run.Id, result.Model.Sanity.Verdict, string.Join("; ", result.Model.Sanity.Reasons));
        }
        setup.LogLeftOut(run.Id, "full", result);
        if (stored is null)
        {
            await StoredModels.SaveAsync(connection, tx, records.Count, result.Model);
        }

        var scope = (await connection.QueryAsync<long>("select id from golden_person where status = 'active'", transaction: tx)).ToHashSet();
        var applied = await GoldenSettlement.SettleAsync(connection, tx, setup.Contracts, people, result, scope, full: true, cancellationToken, seconds: seconds);
        seconds["write"] = Lap(clock);
        seconds["standing_index"] = (await building).BuildSeconds;
        seconds["standing_index_wait"] = Lap(clock);
        var report = await MatchRunJournal.FinishAsync(connection, tx, run.Id, "full", records.Count, result.Blocking.PairsCompared, applied,
            result.Review.Count, seconds, result.Estimate, setup.Logger);
        await tx.CommitAsync(cancellationToken);
        return report;
    }
}
