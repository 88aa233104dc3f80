using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using PaduHub.Ingestion;
using PaduHub.Matching;

namespace PaduHub.GoldenRecords;

/// <summary>What a matching run did.</summary>
public sealed record MatchRunReport(long RunId, string Kind, int Records, long PairsCompared, int GoldenCreated, int GoldenChanged,
    int GoldenRetired, int Review, IReadOnlyDictionary<string, double> Seconds);

/// <summary>
/// Turns source records into golden records, in full or incrementally. A full re-match reads every active source
/// record, trains the model afresh, clusters everything and settles golden ids against the previous ones. An
/// incremental match takes the source records ingestion queued, asks the standing index for their candidates, and
/// re-clusters only their neighbourhood (the candidates and every record of the golden records they touch) with the
/// stored model: the same clustering a full run would give there, without touching the rest of the country.
/// Runs take one advisory lock, so a full and an incremental run never interleave.
/// </summary>
public sealed class PersonMatching(string connectionString, AgencyContracts contracts, string indexFolder, MatchSettings? settings = null, ILogger? logger = null)
{
    const long MatchingLock = 0x5041_4455_4D41_5443; // "PADUMATC"
    readonly MatchSettings _settings = settings ?? new MatchSettings();
    static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <param name="retrain">train a new model (the default); false re-matches everything with the stored model, which
    /// is how a full run is compared with the incremental path</param>
    /// <param name="cancellationToken">stops the run; nothing it did is kept</param>
    public async Task<MatchRunReport> FullRematchAsync(bool retrain = true, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var seconds = new Dictionary<string, double>();
        await using var connection = await OpenAsync(cancellationToken);
        // Before the run's transaction, so the statistics are in place for its plans and no lock of theirs is held long.
        await ExtractLoader.AnalyzeAfterFirstLoadsAsync(connection, logger, cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("select pg_advisory_xact_lock(@MatchingLock)", new { MatchingLock }, tx);
        var run = await NewRunAsync(connection, tx, "full");
        await connection.ExecuteAsync("delete from match_queue", transaction: tx, commandTimeout: 0);

        var registered = await SourcePerson.RegisteredMyKadsAsync(connection, tx);
        seconds["load_start"] = Math.Round(clock.Elapsed.TotalSeconds, 4);
        var (people, records) = await SourcePerson.LoadAllForMatchingAsync(connection, tx, registered, Today, seconds);
        seconds["load"] = Lap(clock);

        var folder = IndexFolder(connection);
        var slot = OpenIndex.For(folder);
        await slot.Gate.WaitAsync(CancellationToken.None);
        try
        {
            slot.Close();
            // The standing index is built beside the rest of the run, on a thread that only takes a core nothing else
            // wants: blocking, training and clustering leave one of the two idle, and writing leaves this process's
            // mostly idle while PostgreSQL parses. Built beside the write alone it held the run up by as long as the
            // write once the write got shorter. It is committed only after the database, stamped with this run.
            using var giveUp = new CancellationTokenSource();
            var building = MatchIndex.BuildBeside(folder, records, _settings, giveUp.Token);
            try
            {
                var report = await MatchAndWriteAsync(connection, tx, run, retrain, people, records, seconds, clock, building, cancellationToken);
                var index = await building;
                index.Commit(run);
                (slot.Index, slot.Run) = (index, run);
                slot.KeepOpenAWhile();
                // The run emptied the queue of every record a first load put in it. Until autovacuum comes by, the next
                // one-record runs would step over all those dead rows to find theirs (the queue's part of a run at 20,000
                // people: 2.0 to 2.3 ms without this, 1.5 ms with it in a slower hour). The tables it rewrote are
                // vacuumed and analysed here too, at full speed: left to autovacuum, a million golden records were
                // vacuumed a minute later over 12 s of throttled writing, and one-record runs then took up to 19 ms.
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
    async Task<MatchRunReport> MatchAndWriteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, MatchRunStamp run, bool retrain,
        List<SourcePerson> people, List<MatchRecord> records, Dictionary<string, double> seconds, Stopwatch clock,
        Task<MatchIndex> building, CancellationToken cancellationToken)
    {
        var runId = run.Id;
        var stored = retrain ? null
            : await connection.QuerySingleOrDefaultAsync<string>("select model::text from match_model order by id desc limit 1", transaction: tx);
        var (mustLink, cannotLink, decisions) = await DecisionsAsync(connection, tx, people, null);
        var result = Linkage.Run(records, _settings, stored is null ? null : StoredModel.Parse(stored),
            mustLink, cannotLink);
        if (stored is null && decisions.Count > 0)
        {
            // Steward decisions are labelled pairs: the new model learns from them, then the run is clustered with it.
            // The refined model scores the same candidates, compared already.
            foreach (var (k, v) in result.Seconds)
            {
                seconds[k] = v;
            }
            result.Model.Refine(records, result.Candidates, decisions, result.Patterns);
            result = Linkage.Run(records, _settings, result.Model, mustLink, cannotLink, again: result);
        }
        foreach (var (k, v) in result.Seconds)
        {
            seconds[k] = Math.Round(seconds.GetValueOrDefault(k) + v, 3);
        }
        clock.Restart();
        if (stored is null && result.Model.LocationVoteDropped && logger is not null)
        {
            Log.LocationVoteDropped(logger, runId);
        }
        LogLeftOut(runId, "full", result);
        if (stored is null)
        {
            await connection.ExecuteAsync("insert into match_model (record_count, model) values (@count, @model::jsonb)",
                new { count = records.Count, model = StoredModel.ToJson(result.Model) }, tx);
        }

        var scope = (await connection.QueryAsync<long>("select id from golden_person where status = 'active'", transaction: tx)).ToHashSet();
        var applied = await ApplyAsync(connection, tx, people, result, scope, full: true, cancellationToken, seconds: seconds);
        seconds["write"] = Lap(clock);
        seconds["standing_index"] = (await building).BuildSeconds;
        seconds["standing_index_wait"] = Lap(clock);
        var report = await FinishAsync(connection, tx, runId, "full", records.Count, result.Blocking.PairsCompared, applied, result.Review.Count, seconds);
        await tx.CommitAsync(cancellationToken);
        return report;
    }

    /// <summary>Matches what ingestion queued. With no model yet (the first load), it runs a full re-match instead.</summary>
    public async Task<MatchRunReport?> MatchQueuedAsync(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var seconds = new Dictionary<string, double>();
        await using var connection = await OpenAsync(cancellationToken);
        // A first load queues every record it brought, so only a long queue can follow one. The check itself costs a
        // few milliseconds of catalog planning, too much for the one-record runs this path exists for.
        if (await connection.ExecuteScalarAsync<bool>("select exists (select 1 from match_queue offset 10000)"))
        {
            await ExtractLoader.AnalyzeAfterFirstLoadsAsync(connection, logger, cancellationToken);
        }
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        // What matching writes is derived: the source records, the decisions and this queue are committed durably by their
        // own transactions, and the queue is emptied in this one. So this commit need not wait for the disk: after a
        // PostgreSQL crash that lost it, the records are simply still queued and the next run matches them again (the
        // hub queues a run when it starts). One record's run is then never held up by a slow flush of the write-ahead log
        // (quick on the benchmark machine's disk, not on every disk).
        // Loading a neighbourhood takes generic plans: planning it on the partitioned source tables cost more than
        // running it (custom plans are for the write below, whose arguments range from one id to a million).
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
            return await FullRematchAsync(cancellationToken: cancellationToken);
        }
        var queued = (await connection.QueryAsync<long>("delete from match_queue returning source_record_id", transaction: tx, commandTimeout: 0))
            .Distinct().Order().ToArray();
        if (queued.Length == 0)
        {
            await tx.RollbackAsync(cancellationToken);
            return null;
        }
        var run = await NewRunAsync(connection, tx, "incremental");
        var runId = run.Id;
        var model = await StoredModelAsync(connection, tx);
        // Loading's parts, each timed: the standing index, the neighbourhood's ids, its records, and normalising them.
        var part = Stopwatch.StartNew();
        seconds["load_queue"] = Math.Round(clock.Elapsed.TotalSeconds, 4);

        var folder = IndexFolder(connection);
        var slot = OpenIndex.For(folder);
        await slot.Gate.WaitAsync(cancellationToken);
        try
        {
            var index = slot.Index is not null && slot.Run == lastRun.Value ? slot.Index : null;
            if (index is null)
            {
                slot.Close();
                index = MatchIndex.OpenIfCurrent(folder, lastRun.Value, _settings);
            }
            if (index is null)
            {
                // The index does not reflect the database (first run on this machine, or a crash between commits): rebuild
                // it from the records as they were before this queue, then apply the queue to it as usual.
                var (_, all) = await SourcePerson.LoadAllForMatchingAsync(connection, tx, new HashSet<string>(), Today);
                index = MatchIndex.Rebuild(folder, all, lastRun.Value, _settings);
            }
            (slot.Index, slot.Run) = (index, lastRun.Value);
            var changed = await SourcePerson.LoadAsync(connection, tx, queued);
            // Blocking does not look at verification; the clustering below does, with the numbers the neighbourhood carries.
            var changedRecords = SourcePerson.ToMatchRecords(changed, new HashSet<string>(), Today);
            foreach (var gone in queued.Except(changed.Select(p => p.Id)))
            {
                index.Remove(gone);
            }
            foreach (var record in changedRecords)
            {
                index.Put(record);
            }
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
            seconds["load"] = Lap(clock);

            var (mustLink, cannotLink, _) = await DecisionsAsync(connection, tx, people, neighbourhood.ToArray());
            var result = Linkage.Run(records, _settings, model, mustLink, cannotLink);
            LogLeftOut(runId, "incremental", result);
            foreach (var (k, v) in result.Seconds)
            {
                seconds[k] = v;
            }
            clock.Restart();
            var applied = await ApplyAsync(connection, tx, people, result, scope, full: false, cancellationToken, alsoGone: queued);
            seconds["write"] = Lap(clock);
            var report = await FinishAsync(connection, tx, runId, "incremental", queued.Length, result.Blocking.PairsCompared, applied, result.Review.Count, seconds);
            // A Lucene commit writes and syncs its files: 11 ms a run on average at 20,000 people, more than all of the
            // writing to PostgreSQL. So a run only stamps the open index, and it is made durable once every few seconds
            // and when it closes; a crash in between costs a rebuild of the index on the next run, nothing else. A run
            // that commits the index first waits for its own commit to reach the disk, and with it every run before it.
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

    /// <summary>At most this long of incremental runs lives only in the open index before it is committed to disk.</summary>
    public static readonly TimeSpan IndexCommitEvery = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The index stays open between incremental runs: closing a Lucene writer waits for its segment merges, and that
    /// wait (0.4 to 0.6 s, about one run in fifty at 20,000 people) was the whole of the p99 for one record. One open
    /// index per folder in this process, shared by every <see cref="PersonMatching"/> on it; closed after a quiet
    /// spell, so another process (the padu command) can open it, while merges finish in the background meanwhile.
    /// </summary>
    sealed class OpenIndex
    {
        public static readonly TimeSpan IdleClose = TimeSpan.FromSeconds(30);
        static readonly System.Collections.Concurrent.ConcurrentDictionary<string, OpenIndex> s_open = new(StringComparer.Ordinal);

        public readonly SemaphoreSlim Gate = new(1, 1);
        public MatchIndex? Index;
        public MatchRunStamp Run;
        Timer? _idle;

        public static OpenIndex For(string folder) => s_open.GetOrAdd(Path.GetFullPath(folder), _ => new OpenIndex());

        // Runs since the last commit are only stamped in memory; closing writes them, so a clean stop never costs the
        // next start a rebuild.
        static OpenIndex() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var slot in s_open.Values)
            {
                if (slot.Gate.Wait(TimeSpan.FromSeconds(10)))
                {
                    slot.Close();
                }
            }
        };

        /// <summary>Closes it, waiting for merges; the caller holds the gate.</summary>
        public void Close() => Let(index => index.Dispose());

        /// <summary>Closes it without committing; the caller holds the gate.</summary>
        public void Abandon() => Let(index => index.Abandon());

        void Let(Action<MatchIndex> go)
        {
            try
            {
                if (Index is { } index)
                {
                    go(index);
                }
            }
            catch (Exception e) when (FolderTrouble(e))
            {
                // The folder went away (a test's scratch, a hub reset): the index is rebuilt when next needed. Lucene wraps
                // a missing file met while closing (a merge weighing the segments it would write out) in its own
                // exceptions, and this runs on the way out of the process too, where nothing may escape.
            }
            Index = null;
        }

        static bool FolderTrouble(Exception e) =>
            e is IOException or ObjectDisposedException or UnauthorizedAccessException || e.InnerException is { } inner && FolderTrouble(inner);

        public void KeepOpenAWhile()
        {
            _idle ??= new Timer(_ =>
            {
                if (Gate.Wait(0))
                {
                    try
                    {
                        Close();
                    }
                    finally
                    {
                        Gate.Release();
                    }
                }
            });
            _idle.Change(IdleClose, Timeout.InfiniteTimeSpan);
        }
    }

    (long Id, MatchModel Model)? _model;

    /// <summary>Steward decisions between records of this run, as record-index pairs.</summary>
    static async Task<(List<(int, int)> MustLink, List<(int, int)> CannotLink, List<(int, int, bool)> All)> DecisionsAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, List<SourcePerson> people, long[]? among)
    {
        var position = new Dictionary<long, int>(people.Count);
        for (var i = 0; i < people.Count; i++)
        {
            position[people[i].Id] = i;
        }
        var rows = await connection.QueryAsync<(long A, long B, string Decision)>(among is null
            ? "select source_a, source_b, decision from match_decision"
            : "select source_a, source_b, decision from match_decision where source_a = any(@among) and source_b = any(@among)", new { among }, tx);
        var must = new List<(int, int)>();
        var cannot = new List<(int, int)>();
        var all = new List<(int, int, bool)>();
        foreach (var (a, b, decision) in rows)
        {
            if (position.TryGetValue(a, out var x) && position.TryGetValue(b, out var y))
            {
                (decision == "same" ? must : cannot).Add((x, y));
                all.Add((x, y, decision == "same"));
            }
        }
        return (must, cannot, all);
    }

    /// <summary>The newest stored model, deserialised once per model (its term-frequency tables run to megabytes).</summary>
    async Task<MatchModel> StoredModelAsync(NpgsqlConnection connection, NpgsqlTransaction tx)
    {
        var id = await connection.ExecuteScalarAsync<long>("select max(id) from match_model", transaction: tx);
        if (_model is { } cached && cached.Id == id)
        {
            return cached.Model;
        }
        var json = await connection.QuerySingleAsync<string>("select model::text from match_model where id = @id", new { id }, tx);
        var model = StoredModel.Parse(json);
        _model = (id, model);
        return model;
    }

    sealed record Applied(int Created, int Changed, int Retired);

    sealed record GoldenRow(long Id, int Version, string Change, SortedDictionary<string, AttributeLineage> Attributes, long[] Members)
    {
        public string? MyKad => Attributes.GetValueOrDefault("mykad")?.Value;
        public string? FullName => Attributes.GetValueOrDefault("full_name")?.Value;
        public DateOnly? DateOfBirth => Attributes.GetValueOrDefault("date_of_birth")?.Value is { } dob
            ? DateOnly.ParseExact(dob, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
        public string? Sex => Attributes.GetValueOrDefault("sex")?.Value;
        public string AttributesJson => GoldenRecords.AttributesJson.Write(Attributes);
    }

    /// <summary>
    /// Writes a clustering: golden ids settled against the previous ones in scope, survived attributes, members,
    /// the identifier crosswalk, history for every golden record that changed, and the pairs for review.
    /// </summary>
    async Task<Applied> ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<SourcePerson> people, LinkageResult result,
        HashSet<long> scope, bool full, CancellationToken cancellationToken, long[]? alsoGone = null, Dictionary<string, double>? seconds = null)
    {
        var ids = people.Select(p => p.Id).ToArray();
        if (!full)
        {
            await connection.ExecuteAsync("set local plan_cache_mode = force_custom_plan", transaction: tx);
        }
        var previous = (await connection.QueryAsync<(long Source, long Golden)>(
                full ? "select source_record_id, golden_id from golden_member" : "select source_record_id, golden_id from golden_member where golden_id = any(@scope)",
                new { scope = scope.ToArray() }, tx, commandTimeout: 0))
            .ToDictionary(x => x.Source, x => x.Golden);
        var previousGolden = people.Select(p => previous.TryGetValue(p.Id, out var g) && scope.Contains(g) ? g : (long?)null).ToArray();

        // Golden ids come from one sequence; only matching draws on it and it holds the lock, so a block is reserved at once.
        var clusterCount = result.ClusterOf.Distinct().Count();
        var first = await connection.ExecuteScalarAsync<long>(
            "select setval('golden_person_id_seq', nextval('golden_person_id_seq') + @n - 1)", new { n = clusterCount }, tx) - clusterCount + 1;
        var assignment = GoldenIds.Assign(result.ClusterOf, previousGolden, () => first++);
        var mayChange = full ? null : MayChange(people, result, assignment, previousGolden, previous, alsoGone ?? []);
        // Only what may have changed is read back, survived and written: a one-record run's neighbourhood is some
        // fifty golden records, nearly all of which come out of it as they went in.
        var readBack = full ? scope.ToArray() : scope.Where(mayChange!.Contains).ToArray();

        var existing = (await connection.QueryAsync<(long Id, int Version, string Attributes)>(
                "select id, version, attributes::text from golden_person where id = any(@readBack)", new { readBack }, tx, commandTimeout: 0))
            .ToDictionary(x => x.Id);
        var oldMembers = previous.Where(p => scope.Contains(p.Value)).GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.Select(x => x.Key).Order().ToArray());

        // Steward corrections of the golden records in scope, each carried to where its person went: the same id, or
        // the successor of a merged id. A withdrawn person's corrections end with it.
        var corrections = await GoldenCorrections.InForceAsync(connection, tx, full ? null : readBack);
        var keptIds = assignment.IdOfCluster.Values.ToHashSet();
        var endedCorrections = new List<(GoldenCorrection Correction, string Why)>();
        var movedCorrections = new List<(long Id, long To)>();
        var correctionsOf = new Dictionary<long, List<GoldenCorrection>>();
        foreach (var c in corrections)
        {
            var target = keptIds.Contains(c.GoldenId) ? c.GoldenId : assignment.Retired.TryGetValue(c.GoldenId, out var successor) ? successor : (long?)null;
            if (target is not { } t)
            {
                endedCorrections.Add((c, "the person's records were all withdrawn"));
                continue;
            }
            if (t != c.GoldenId)
            {
                movedCorrections.Add((c.Id, t));
            }
            (correctionsOf.TryGetValue(t, out var list) ? list : correctionsOf[t] = []).Add(c with { GoldenId = t });
        }

        int created = 0, changedCount = 0;
        var goldenIds = new List<long>();
        var memberRows = new List<(long Source, long Golden)>();
        var identifierRows = new List<(string Kind, string Value, long Golden, string Agency)>();
        // Golden records are survived as the COPY asks for them, so PostgreSQL parses one row's attributes while the
        // next is survived: one after the other they took 7 s and 25 s at a million records, PostgreSQL idle for the 7.
        IEnumerable<GoldenRow> GoldenRows()
        {
            foreach (var cluster in Enumerable.Range(0, people.Count).GroupBy(i => result.ClusterOf[i]))
            {
                var goldenId = assignment.IdOfCluster[cluster.Key];
                if (mayChange is not null && !mayChange.Contains(goldenId))
                {
                    continue;
                }
                var memberPeople = cluster.Select(i => people[i]).ToList();
                var memberIds = memberPeople.Select(p => p.Id).Order().ToArray();
                memberRows.AddRange(memberIds.Select(id => (id, goldenId)));
                foreach (var i in cluster)
                {
                    identifierRows.AddRange(result.Records[i].Identifiers.Select(x => (x.Kind, x.Value, goldenId, people[i].AgencyCode)));
                }

                var attributes = Survivorship.Survive(memberPeople, contracts);
                if (correctionsOf.TryGetValue(goldenId, out var standing))
                {
                    endedCorrections.AddRange(GoldenCorrections.Apply(attributes, standing));
                }
                string change;
                int version;
                if (existing.TryGetValue(goldenId, out var before))
                {
                    var sameAttributes = JsonSerializer.Deserialize<SortedDictionary<string, AttributeLineage>>(before.Attributes) is { } old
                        && old.Count == attributes.Count && old.All(kv => attributes.TryGetValue(kv.Key, out var v) && v == kv.Value);
                    var sameMembers = oldMembers.TryGetValue(goldenId, out var om) && om.SequenceEqual(memberIds);
                    if (sameAttributes && sameMembers)
                    {
                        continue;
                    }
                    change = sameMembers ? "attributes" : sameAttributes ? "members" : "members and attributes";
                    version = before.Version + 1;
                    changedCount++;
                }
                else
                {
                    change = "created";
                    version = 1;
                    created++;
                }
                goldenIds.Add(goldenId);
                yield return new GoldenRow(goldenId, version, change, attributes, memberIds);
            }
        }

        // Golden ids in scope that no cluster kept: merged away (retired, pointing on) or left with no records (withdrawn).
        var retired = assignment.Retired;
        var withdrawn = scope.Where(id => !keptIds.Contains(id) && !retired.ContainsKey(id)).ToArray();
        var touched = ids.Concat(alsoGone ?? []).Distinct().ToArray();
        // Households are formed again around the golden records that changed and the people whose source records
        // arrived (a new welfare reference or wage changes a household without changing its person), in this transaction.
        long[] QueuedForHouseholds()
        {
            var arrived = (alsoGone ?? []).ToHashSet();
            return goldenIds.Concat(retired.Keys).Concat(retired.Values).Concat(withdrawn)
                .Concat(memberRows.Where(m => arrived.Contains(m.Source)).Select(m => m.Golden)).Distinct().ToArray();
        }
        // An identifier once per person, with every agency that holds it; in the primary key's order, so its index
        // grows at its right edge instead of taking a million inserts at random places. One sort and a walk over it:
        // grouping then ordering with LINQ was 5 % of this process's CPU while a million people were written (perf).
        IEnumerable<(string Kind, string Value, long Golden, string[] Agencies)> Crosswalk()
        {
            identifierRows.Sort((x, y) =>
            {
                var c = string.CompareOrdinal(x.Kind, y.Kind);
                c = c != 0 ? c : string.CompareOrdinal(x.Value, y.Value);
                c = c != 0 ? c : x.Golden.CompareTo(y.Golden);
                return c != 0 ? c : string.CompareOrdinal(x.Agency, y.Agency);
            });
            var agencies = new List<string>();
            for (var i = 0; i < identifierRows.Count; i++)
            {
                var (kind, value, golden, agency) = identifierRows[i];
                if (agencies.Count == 0 || agencies[^1] != agency)
                {
                    agencies.Add(agency);
                }
                if (i + 1 == identifierRows.Count || identifierRows[i + 1] is var next && (next.Golden != golden || next.Value != value || next.Kind != kind))
                {
                    yield return (kind, value, golden, agencies.ToArray());
                    agencies.Clear();
                }
            }
        }

        if (full)
        {
            await WriteByCopyAsync(connection, tx, GoldenRows(), retired, withdrawn, memberRows, Crosswalk, people, result, seconds ?? [], cancellationToken);
        }
        else
        {
            // Surviving the rows fills in their members and identifiers, which the arguments after them read.
            var rows = GoldenRows().ToList();
            await WriteByArraysAsync(connection, tx, rows, retired, withdrawn, touched,
                memberRows.Select(m => m.Source).Concat(alsoGone ?? []).Distinct().ToArray(),
                mayChange!.Concat(retired.Keys).Concat(withdrawn).Distinct().ToArray(), memberRows, Crosswalk(), people, result, QueuedForHouseholds);
        }
        if (movedCorrections.Count > 0 || endedCorrections.Count > 0)
        {
            await connection.ExecuteAsync("""
                update golden_correction c set ended_at = now(), ended_why = e.why from unnest(@endedIds, @endedWhy) as e(id, why) where c.id = e.id;
                update golden_correction c set golden_id = m.golden_id from unnest(@movedIds, @movedTo) as m(id, golden_id)
                where c.id = m.id and c.ended_at is null;
                """, new
            {
                endedIds = endedCorrections.Select(e => e.Correction.Id).ToArray(),
                endedWhy = endedCorrections.Select(e => e.Why).ToArray(),
                movedIds = movedCorrections.Select(m => m.Id).ToArray(),
                movedTo = movedCorrections.Select(m => m.To).ToArray(),
            }, tx);
        }
        if (full)
        {
            await connection.ExecuteAsync("insert into household_queue (golden_id) values (null)", transaction: tx);
        }
        return new Applied(created, changedCount, retired.Count + withdrawn.Length);
    }

    /// <summary>
    /// The golden records an incremental run can change: those a record joins or leaves (a merge, a split, a new
    /// person, a withdrawn record), and those holding a record that arrived, whose identifiers or values may be new.
    /// Every other golden record in the neighbourhood keeps the same source records, unchanged since the last run, so
    /// its members, crosswalk and survived attributes are those already stored.
    /// </summary>
    static HashSet<long> MayChange(List<SourcePerson> people, LinkageResult result, GoldenIds.Assignment assignment, long?[] previousGolden,
        Dictionary<long, long> previous, long[] arrived)
    {
        var mayChange = new HashSet<long>();
        for (var i = 0; i < people.Count; i++)
        {
            var goldenId = assignment.IdOfCluster[result.ClusterOf[i]];
            if (previousGolden[i] != goldenId)
            {
                mayChange.Add(goldenId);
                if (previousGolden[i] is { } before)
                {
                    mayChange.Add(before);
                }
            }
        }
        // A record that arrived may carry new values or identifiers, or have been withdrawn at its agency: the golden
        // record it was in changes even where no record joins or leaves it.
        foreach (var id in arrived)
        {
            if (previous.TryGetValue(id, out var before))
            {
                mayChange.Add(before);
            }
        }
        return mayChange;
    }

    /// <summary>Golden ids merged away point at their successor, withdrawn ones end; both with a line of history.</summary>
    const string RetireSql = """
        update golden_person p set status = 'retired', successor_id = r.successor, version = p.version + 1, updated_at = now()
        from unnest(@retiredIds, @successors) as r(id, successor) where p.id = r.id;
        update golden_person p set status = 'withdrawn', version = p.version + 1, updated_at = now() where p.id = any(@withdrawn);
        insert into golden_person_history (golden_id, version, change, attributes, members)
        select p.id, p.version, case when p.status = 'retired' then 'merged into ' || p.successor_id else 'withdrawn' end, p.attributes, '{}'
        from golden_person p where p.id = any(@retiredIds) or p.id = any(@withdrawn);
        -- anything that still pointed at a golden id retired now points at its successor
        update golden_person p set successor_id = r.successor from unnest(@retiredIds, @successors) as r(id, successor)
        where p.successor_id = r.id;
        """;

    static string ReasonText(ReviewReason reason) => reason switch
    {
        ReviewReason.Doubtful => "doubtful",
        ReviewReason.WouldChain => "would_chain",
        ReviewReason.DifferentVerifiedMyKad => "different_verified_mykad",
        _ => "cannot_link",
    };

    /// <summary>
    /// A full run's write: every table by binary COPY, golden records survived as the COPY asks for them. Members, the
    /// crosswalk and review pairs go straight into their emptied tables.
    /// </summary>
    static async Task WriteByCopyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IEnumerable<GoldenRow> goldenRows,
        Dictionary<long, long> retired, long[] withdrawn, List<(long Source, long Golden)> memberRows,
        Func<IEnumerable<(string Kind, string Value, long Golden, string[] Agencies)>> crosswalk, List<SourcePerson> people, LinkageResult result,
        Dictionary<string, double> seconds, CancellationToken cancellationToken)
    {
        // The write's parts, timed: the golden records (survived, written, parsed), their history and retirements, members,
        // crosswalk, the secondary indexes built again, and the review pairs.
        var part = Stopwatch.StartNew();
        // Records that changed are staged, as they update rows in place. The staging tables live as long as the pooled
        // session and are emptied by the commit.
        await connection.ExecuteAsync("""
            create temp table if not exists golden_next (id bigint, version int, change text, members bigint[], mykad text, full_name text,
                date_of_birth date, sex char(1), attributes jsonb) on commit delete rows;
            create temp table if not exists created_next (id bigint, members bigint[]) on commit delete rows;
            """, transaction: tx);
        // One COPY at a time: a connection carries one command. New golden records go straight into golden_person, so
        // PostgreSQL parses and stores each one's attributes once (staging them first cost 5 s more at a million
        // records).
        var changedRows = new List<GoldenRow>();
        var createdMembers = new List<(long Id, long[] Members)>();
        await using (var golden = await connection.BeginBinaryImportAsync(
            "copy golden_person (id, status, version, mykad, full_name, date_of_birth, sex, attributes) from stdin (format binary)", cancellationToken))
        {
            foreach (var row in goldenRows)
            {
                if (row.Version > 1)
                {
                    changedRows.Add(row);
                    continue;
                }
                createdMembers.Add((row.Id, row.Members));
                await golden.StartRowAsync(cancellationToken);
                await golden.WriteAsync(row.Id, NpgsqlDbType.Bigint, cancellationToken);
                await golden.WriteAsync("active", NpgsqlDbType.Text, cancellationToken);
                await golden.WriteAsync(row.Version, NpgsqlDbType.Integer, cancellationToken);
                await WriteGoldenColumns(golden, row);
            }
            await golden.CompleteAsync(cancellationToken);
        }
        seconds["write_golden"] = Lap(part);
        // Every golden row is out, so members and the crosswalk are complete: they are put in order on another core while
        // PostgreSQL writes history (sorted inside their COPY, PostgreSQL waited for it).
        var orderedMembers = Task.Run(memberRows.Sort, CancellationToken.None);
        var orderedCrosswalk = Task.Run(() => crosswalk().ToList(), CancellationToken.None);
        await using (var createdCopy = await connection.BeginBinaryImportAsync("copy created_next (id, members) from stdin (format binary)", cancellationToken))
        {
            foreach (var (id, memberIds) in createdMembers)
            {
                await createdCopy.StartRowAsync(cancellationToken);
                await createdCopy.WriteAsync(id, NpgsqlDbType.Bigint, cancellationToken);
                await createdCopy.WriteAsync(memberIds, NpgsqlDbType.Array | NpgsqlDbType.Bigint, cancellationToken);
            }
            await createdCopy.CompleteAsync(cancellationToken);
        }
        await using (var golden = await connection.BeginBinaryImportAsync(
            "copy golden_next (id, version, change, members, mykad, full_name, date_of_birth, sex, attributes) from stdin (format binary)", cancellationToken))
        {
            foreach (var row in changedRows)
            {
                await golden.StartRowAsync(cancellationToken);
                await golden.WriteAsync(row.Id, NpgsqlDbType.Bigint, cancellationToken);
                await golden.WriteAsync(row.Version, NpgsqlDbType.Integer, cancellationToken);
                await golden.WriteAsync(row.Change, NpgsqlDbType.Text, cancellationToken);
                await golden.WriteAsync(row.Members, NpgsqlDbType.Array | NpgsqlDbType.Bigint, cancellationToken);
                await WriteGoldenColumns(golden, row);
            }
            await golden.CompleteAsync(cancellationToken);
        }
        async Task WriteGoldenColumns(NpgsqlBinaryImporter golden, GoldenRow row)
        {
            await WriteText(golden, row.MyKad);
            await WriteText(golden, row.FullName);
            if (row.DateOfBirth is { } dob)
            {
                await golden.WriteAsync(dob, NpgsqlDbType.Date, cancellationToken);
            }
            else
            {
                await golden.WriteNullAsync(cancellationToken);
            }
            await WriteText(golden, row.Sex);
            await golden.WriteAsync(row.AttributesJson, NpgsqlDbType.Jsonb, cancellationToken);
        }
        async Task WriteText(NpgsqlBinaryImporter importer, string? value)
        {
            if (value is null)
            {
                await importer.WriteNullAsync(cancellationToken);
            }
            else
            {
                await importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
            }
        }

        await connection.ExecuteAsync($"""
            update golden_person p set status = 'active', successor_id = null, version = n.version, mykad = n.mykad, full_name = n.full_name,
                date_of_birth = n.date_of_birth, sex = n.sex, attributes = n.attributes, updated_at = now()
            from golden_next n where p.id = n.id;
            insert into golden_person_history (golden_id, version, change, attributes, members)
            select id, version, change, attributes, members from golden_next;
            insert into golden_person_history (golden_id, version, change, attributes, members)
            select p.id, p.version, 'created', p.attributes, c.members from created_next c join golden_person p on p.id = c.id;
            {RetireSql}
            truncate golden_member, golden_identifier, match_pair;
            """, new { retiredIds = retired.Keys.ToArray(), successors = retired.Values.ToArray(), withdrawn }, tx, commandTimeout: 0);
        seconds["write_history"] = Lap(part);

        // The emptied tables are filled without their secondary indexes, which are built again afterwards: a million
        // inserts at random places in the golden-id indexes took longer than sorting once (the crosswalk's COPY 5.2 s
        // with them, 1.7 + 0.9 s without; the members' 3.8 s, 2.5 + 0.5 s). Members go in by source record id, so the
        // primary key grows at its right edge.
        var secondary = (await connection.QueryAsync<(string Name, string Definition)>("""
            select i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) from pg_index i
            where i.indrelid in ('golden_member'::regclass, 'golden_identifier'::regclass)
              and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
            """, transaction: tx)).ToList();
        foreach (var (name, _) in secondary)
        {
            await connection.ExecuteAsync($"drop index {name}", transaction: tx);
        }
        await orderedMembers;
        seconds["write_members_sort"] = Lap(part);

        await using (var members = await connection.BeginBinaryImportAsync(
            "copy golden_member (source_record_id, golden_id) from stdin (format binary)", cancellationToken))
        {
            foreach (var (source, goldenId) in memberRows)
            {
                await members.StartRowAsync(cancellationToken);
                await members.WriteAsync(source, NpgsqlDbType.Bigint, cancellationToken);
                await members.WriteAsync(goldenId, NpgsqlDbType.Bigint, cancellationToken);
            }
            await members.CompleteAsync(cancellationToken);
        }
        seconds["write_members"] = Lap(part);
        await using (var identifiers = await connection.BeginBinaryImportAsync(
            "copy golden_identifier (kind, value, golden_id, agencies) from stdin (format binary)", cancellationToken))
        {
            foreach (var (kind, value, goldenId, agencies) in await orderedCrosswalk)
            {
                await identifiers.StartRowAsync(cancellationToken);
                await identifiers.WriteAsync(kind, NpgsqlDbType.Text, cancellationToken);
                await identifiers.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
                await identifiers.WriteAsync(goldenId, NpgsqlDbType.Bigint, cancellationToken);
                await identifiers.WriteAsync(agencies, NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
            }
            await identifiers.CompleteAsync(cancellationToken);
        }
        seconds["write_crosswalk"] = Lap(part);
        foreach (var (_, definition) in secondary)
        {
            await connection.ExecuteAsync(definition, transaction: tx, commandTimeout: 0);
        }
        seconds["write_indexes"] = Lap(part);
        await using (var pairs = await connection.BeginBinaryImportAsync(
            "copy match_pair (source_a, source_b, weight, probability, fields, reason) from stdin (format binary)", cancellationToken))
        {
            foreach (var item in result.Review)
            {
                var (a, b) = (people[item.Pair.A].Id, people[item.Pair.B].Id);
                await pairs.StartRowAsync(cancellationToken);
                await pairs.WriteAsync(Math.Min(a, b), NpgsqlDbType.Bigint, cancellationToken);
                await pairs.WriteAsync(Math.Max(a, b), NpgsqlDbType.Bigint, cancellationToken);
                await pairs.WriteAsync(item.Pair.Weight, NpgsqlDbType.Double, cancellationToken);
                await pairs.WriteAsync(item.Pair.Probability, NpgsqlDbType.Double, cancellationToken);
                await pairs.WriteAsync(JsonSerializer.Serialize(item.Pair.Fields, s_json), NpgsqlDbType.Jsonb, cancellationToken);
                await pairs.WriteAsync(ReasonText(item.Reason), NpgsqlDbType.Text, cancellationToken);
            }
            await pairs.CompleteAsync(cancellationToken);
        }
        seconds["write_pairs"] = Lap(part);
    }

    /// <summary>
    /// An incremental run's write: a handful of rows, so every statement takes them as array parameters and all go in
    /// one round trip. Staging them in temporary tables cost more than writing them: two round trips per COPY, and
    /// PostgreSQL truncating the tables at commit (5 to 6 ms a run at a million records, measured in psql and per run).
    /// Membership is rewritten for the records of the golden records that may have changed (and for records withdrawn),
    /// the crosswalk for those golden records and the ones retired or withdrawn; review pairs for the whole neighbourhood.
    /// </summary>
    static async Task WriteByArraysAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<GoldenRow> goldenRows,
        Dictionary<long, long> retired, long[] withdrawn, long[] touched, long[] memberSources, long[] rewritten, List<(long Source, long Golden)> memberRows,
        IEnumerable<(string Kind, string Value, long Golden, string[] Agencies)> crosswalk, List<SourcePerson> people, LinkageResult result,
        Func<long[]> queuedForHouseholds)
    {
        var identifiers = crosswalk.ToList();
        var pairs = result.Review.Select(item =>
        {
            var (a, b) = (people[item.Pair.A].Id, people[item.Pair.B].Id);
            return (A: Math.Min(a, b), B: Math.Max(a, b), item.Pair.Weight, item.Pair.Probability,
                Fields: JsonSerializer.Serialize(item.Pair.Fields, s_json), Reason: ReasonText(item.Reason));
        }).ToList();
        await connection.ExecuteAsync($"""
            with n as (
                select * from unnest(@goldenIds, @versions, @changes, @members, @mykads, @names, @dobs, @sexes, @attributes)
                    as n(id, version, change, members, mykad, full_name, date_of_birth, sex, attributes)),
            changed as (
                update golden_person p set status = 'active', successor_id = null, version = n.version, mykad = n.mykad, full_name = n.full_name,
                    date_of_birth = n.date_of_birth, sex = n.sex, attributes = n.attributes::jsonb, updated_at = now()
                from n where p.id = n.id and n.version > 1),
            created as (
                insert into golden_person (id, status, version, mykad, full_name, date_of_birth, sex, attributes)
                select id, 'active', version, mykad, full_name, date_of_birth, sex, attributes::jsonb from n where version = 1)
            insert into golden_person_history (golden_id, version, change, attributes, members)
            select id, version, change, attributes::jsonb, members::bigint[] from n;
            {RetireSql}
            delete from golden_member where source_record_id = any(@memberSources);
            delete from golden_identifier where golden_id = any(@rewritten);
            delete from match_pair where source_a = any(@touched) or source_b = any(@touched);
            insert into golden_member (source_record_id, golden_id) select * from unnest(@newMemberSources, @memberGoldens);
            insert into golden_identifier (kind, value, golden_id, agencies)
            select kind, value, golden_id, string_to_array(agencies, ',') from unnest(@kinds, @values, @identifierGoldens, @agencies)
                as i(kind, value, golden_id, agencies);
            insert into match_pair (source_a, source_b, weight, probability, fields, reason)
            select a, b, weight, probability, fields::jsonb, reason from unnest(@pairA, @pairB, @weights, @probabilities, @fields, @reasons)
                as r(a, b, weight, probability, fields, reason)
            on conflict (source_a, source_b) do update set weight = excluded.weight, probability = excluded.probability,
                fields = excluded.fields, reason = excluded.reason, queued_at = now();
            insert into household_queue (golden_id) select unnest(@queued);
            """, new
        {
            goldenIds = goldenRows.Select(r => r.Id).ToArray(),
            versions = goldenRows.Select(r => r.Version).ToArray(),
            changes = goldenRows.Select(r => r.Change).ToArray(),
            // Arrays of arrays do not unnest row by row, so each member list travels as its array literal.
            members = goldenRows.Select(r => "{" + string.Join(',', r.Members) + "}").ToArray(),
            mykads = goldenRows.Select(r => r.MyKad).ToArray(),
            names = goldenRows.Select(r => r.FullName).ToArray(),
            dobs = goldenRows.Select(r => r.DateOfBirth).ToArray(),
            sexes = goldenRows.Select(r => r.Sex).ToArray(),
            attributes = goldenRows.Select(r => r.AttributesJson).ToArray(),
            retiredIds = retired.Keys.ToArray(),
            successors = retired.Values.ToArray(),
            withdrawn,
            touched,
            memberSources,
            rewritten,
            newMemberSources = memberRows.Select(m => m.Source).ToArray(),
            memberGoldens = memberRows.Select(m => m.Golden).ToArray(),
            kinds = identifiers.Select(i => i.Kind).ToArray(),
            values = identifiers.Select(i => i.Value).ToArray(),
            identifierGoldens = identifiers.Select(i => i.Golden).ToArray(),
            // Agency codes are letters, digits and underscores (the contract says so), so a comma separates them safely.
            agencies = identifiers.Select(i => string.Join(',', i.Agencies)).ToArray(),
            pairA = pairs.Select(x => x.A).ToArray(),
            pairB = pairs.Select(x => x.B).ToArray(),
            weights = pairs.Select(x => x.Weight).ToArray(),
            probabilities = pairs.Select(x => x.Probability).ToArray(),
            fields = pairs.Select(x => x.Fields).ToArray(),
            reasons = pairs.Select(x => x.Reason).ToArray(),
            queued = queuedForHouseholds(),
        }, tx);
    }

    static async Task<MatchRunStamp> NewRunAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string kind)
    {
        var (id, startedAt) = await connection.QuerySingleAsync<(long, DateTime)>(
            "insert into match_run (kind) values (@kind) returning id, started_at", new { kind }, tx);
        return new MatchRunStamp(id, startedAt);
    }

    async Task<MatchRunReport> FinishAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long runId, string kind, int records, long pairs,
        Applied applied, int review, Dictionary<string, double> seconds)
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

    /// <summary>Common values blocking would not search on and records it could do nothing with, said once a run, by count.</summary>
    void LogLeftOut(long runId, string kind, LinkageResult result)
    {
        if (logger is not null && result.Blocking.LeftOut(_settings) is { } leftOut)
        {
            Log.BlockingLeftOut(logger, runId, kind, leftOut);
        }
    }

    async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_matchingConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// Matching's own pool. Its statements are parsed once per session (parsing and planning them on every run was 2 ms
    /// of loading and 2 ms of writing one record incrementally at 20,000 people), but still planned for each run's own
    /// arguments: the same statements take one id or a million, and with PostgreSQL's generic plans writing one record
    /// took 185 ms a run at a million records, planned per run 69 to 86 ms (measured). A session keeps its staging tables between runs, so
    /// it is not reset when it goes back to the pool: matching sets nothing beyond its transaction (SET LOCAL,
    /// transaction-level advisory locks) and its staging tables empty themselves at commit. Nor does matching start
    /// parallel workers: loading the 150 or so records around one incremental record was planned as a parallel scan,
    /// whose workers took 20 ms to start for 1.4 ms of work (EXPLAIN ANALYZE at a million records), and a full run keeps
    /// both cores busy itself.
    /// </summary>
    readonly string _matchingConnectionString = MatchingConnectionString(connectionString);

    static string MatchingConnectionString(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64, AutoPrepareMinUsages = 2, NoResetOnClose = true };
        Database.PaduDatabase.AddServerSetting(builder, "plan_cache_mode=force_custom_plan");
        Database.PaduDatabase.AddServerSetting(builder, "max_parallel_workers_per_gather=0");
        return builder.ConnectionString;
    }

    /// <summary>One index per database, so two hubs (or two test databases) sharing a folder never share an index.</summary>
    string IndexFolder(NpgsqlConnection connection) => Path.Combine(indexFolder, connection.Database);

    static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    static double Lap(Stopwatch clock)
    {
        var s = Math.Round(clock.Elapsed.TotalSeconds, 4);
        clock.Restart();
        return s;
    }
}
