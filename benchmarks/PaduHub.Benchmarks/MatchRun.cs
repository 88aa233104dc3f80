using System.Diagnostics;
using System.Globalization;
using Dapper;
using Npgsql;
using PaduHub.Database;
using PaduHub.GoldenRecords;
using PaduHub.Ingestion;
using PaduHub.Matching;
using PaduHub.Samples;

namespace PaduHub.Benchmarks;

/// <summary>
/// Person matching end to end on a generated population: every agency's full extract ingested, then a full re-match
/// into golden records (timed by phase), its pairwise accuracy against the generator's truth, single-thread scoring
/// speed, and the latency of matching one changed record incrementally.
/// Usage: match [--people N] [--incremental K] [--batch B1,B2,..] [--keep DIR [--skip-full]] [--profile harder]
/// --batch matches nightly batches of that many changed records, each in one incremental run (records/s).
/// --keep generates, ingests and matches into DIR once and reuses it later (the seeding takes about eleven minutes at a
/// million records); --skip-full then measures only what follows the full re-match, on the kept golden records.
/// </summary>
static class MatchRun
{
    public static async Task<int> Run(string[] args)
    {
        var people = 100_000L;
        var incremental = 200;
        string? keep = null;
        var skipFull = false;
        var profile = "default";
        int[] batches = [];
        for (var i = 0; i < args.Length; i += 2)
        {
            if (args[i] != "--skip-full" && i + 1 == args.Length)
            {
                Console.Error.WriteLine($"{args[i]} needs a value");
                return 2;
            }
            switch (args[i])
            {
                case "--people": people = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--incremental": incremental = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--keep": keep = Path.GetFullPath(args[i + 1]); break;
                case "--skip-full": skipFull = true; i--; break;
                case "--profile": profile = args[i + 1]; break;
                case "--batch": batches = args[i + 1].Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture)).ToArray(); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        var work = keep ?? Path.Combine(Path.GetTempPath(), $"paduhub-match-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        // Written once the population is ingested and matched; a kept folder without it is seeded again from scratch.
        var seededFile = Path.Combine(work, "seeded.txt");
        var seededAs = profile == "default" ? people.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{people} {profile}");
        var seeded = keep is not null && File.Exists(seededFile) && File.ReadAllText(seededFile).Trim() == seededAs;
        if (skipFull && !seeded)
        {
            Console.Error.WriteLine("--skip-full needs a folder kept by an earlier run with the same --people");
            return 2;
        }
        try
        {
            var population = Path.Combine(work, "population");
            if (!seeded && Directory.Exists(work))
            {
                foreach (var stale in new[] { population, Path.Combine(work, "pg"), Path.Combine(work, "index"), Path.Combine(work, "spool") }.Where(Directory.Exists))
                {
                    Directory.Delete(stale, recursive: true);
                }
            }
            if (!seeded)
            {
                PopulationGenerator.Generate(new GeneratorOptions
                {
                    People = people,
                    Seed = 1,
                    OutDir = population,
                    Noise = profile == "harder" ? NoiseSettings.Harder : NoiseSettings.Default,
                });
            }
            using var cluster = EmbeddedPostgres.Start(Path.Combine(work, "pg"));
            cluster.EnsureDatabase("bench");
            var connectionString = cluster.ConnectionString("bench");
            await SchemaMigrator.MigrateAsync(connectionString);
            var contracts = AgencyContracts.Load();
            if (!seeded)
            {
                var loader = new ExtractLoader(connectionString, contracts, Path.Combine(work, "spool"));
                await loader.RegisterAgenciesAsync();
                var ingest = Stopwatch.StartNew();
                foreach (var file in Directory.GetFiles(Path.Combine(population, "extracts")).Order(StringComparer.Ordinal))
                {
                    var agency = Path.GetFileName(file).Split('_')[0].ToUpperInvariant();
                    await loader.LoadAsync(new ExtractRequest(agency, file, Path.GetFileName(file), "cli"));
                }
                ingest.Stop();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"people {people:N0} ingested in {ingest.Elapsed.TotalSeconds:0.0} s"));
            }

            Console.WriteLine($"machine: {Machine.Describe()}");
            var matching = new PersonMatching(connectionString, contracts, Path.Combine(work, "index"));
            if (!skipFull)
            {
                if (seeded)
                {
                    // A kept folder was matched before: back to "just ingested", so the full run measures a first match
                    // into golden records, as a fresh folder's does, and not a re-match that finds nothing to change.
                    await using var reset = new NpgsqlConnection(connectionString);
                    await reset.OpenAsync();
                    await reset.ExecuteAsync("""
                        truncate golden_person, golden_person_history, golden_member, golden_identifier, match_pair, match_run, match_model,
                            match_decision, golden_correction, household_queue, golden_household, golden_household_member,
                            golden_household_history, household_conflict, review_state, steward_action, golden_change cascade
                        """, commandTimeout: 0);
                }
                var watch = Stopwatch.StartNew();
                var report = await matching.FullRematchAsync();
                watch.Stop();
                Process.GetCurrentProcess().Refresh();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"people {people:N0}; source records {report.Records:N0}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"full re-match: {watch.Elapsed.TotalSeconds:0.0} s wall, {report.PairsCompared:N0} pairs compared, {report.GoldenCreated:N0} golden records, {report.Review:N0} for review, peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):0} MiB"));
                Console.WriteLine("phases (s): " + string.Join(", ", report.Seconds.Select(s => $"{s.Key} {s.Value:0.0}")));
                // What no phase counts: the run's start, the database's commit, the index's commit, the queue's vacuum.
                var counted = new[] { "load", "blocking", "comparing", "training", "scoring", "clustering", "write", "standing_index_wait" }
                    .Sum(k => report.Seconds.GetValueOrDefault(k));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"outside the phases: {watch.Elapsed.TotalSeconds - counted:0.0} s"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"garbage collections: {GC.CollectionCount(0):N0} / {GC.CollectionCount(1):N0} / {GC.CollectionCount(2):N0} (gen 0 / 1 / 2), paused {GC.GetTotalPauseDuration().TotalSeconds:0.0} s"));
                if (keep is not null)
                {
                    File.WriteAllText(seededFile, seededAs);
                }
            }
            else
            {
                Console.WriteLine($"reusing the golden records matched in {work}");
            }

            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            var score = await Score(connection, population);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"accuracy against the truth: precision {score.Precision:0.0000}, recall {score.Recall:0.0000}, F1 {score.F1:0.0000}"));

            await ScoringSpeed(connection);
            await FollowChanges(connection);
            if (incremental > 0)
            {
                await IncrementalLatency(connection, matching, incremental);
                await NewRecordLatency(connection, matching, incremental);
            }
            foreach (var batch in batches)
            {
                await NightlyBatch(connection, matching, batch);
            }
            return 0;
        }
        finally
        {
            if (keep is null)
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    /// <summary>
    /// A nightly batch: this many random active records, a tenth of them moved to another address (as a delta's
    /// updates would: a new version of the record), the rest queued unchanged as a full extract's re-sent rows are, then
    /// matched in one incremental run. Reports the run's records/s and its phases; the records stay as changed.
    /// </summary>
    static async Task NightlyBatch(NpgsqlConnection connection, PersonMatching matching, int size)
    {
        var ids = (await connection.QueryAsync<long>("select id from source_record where status = 'active' order by random() limit @size", new { size })).ToArray();
        var moved = ids.Take(size / 10).ToArray();
        var columns = await VersionColumnsAsync(connection);
        var hasAddress = columns.Contains("address");
        await connection.ExecuteAsync($"""
            with next as (
                insert into source_record_version (source_record_id, version, op, {string.Join(", ", columns)})
                select v.source_record_id, v.version + 1, 'U', {string.Join(", ", columns.Select(c => hasAddress && c == "address" ? "'NO 1, JALAN BATCH ' || v.source_record_id" : "v." + c))}
                from source_record r join source_record_version v on v.id = r.current_version_id where r.id = any(@moved)
                returning id, source_record_id)
            update source_record r set current_version_id = next.id from next where r.id = next.source_record_id
            """, new { moved }, commandTimeout: 0);
        await connection.ExecuteAsync("insert into match_queue (source_record_id, extract_id) select unnest(@ids), 0", new { ids }, commandTimeout: 0);
        var firstRun = await connection.ExecuteScalarAsync<long>("select coalesce(max(id), 0) from match_run");
        var watch = Stopwatch.StartNew();
        var report = await matching.MatchQueuedAsync();
        watch.Stop();
        Process.GetCurrentProcess().Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"nightly batch of {size:N0} changed records ({moved.Length:N0} moved) in one incremental run: {watch.Elapsed.TotalSeconds:0.0} s = {size / watch.Elapsed.TotalSeconds:N0} records/s, {report?.PairsCompared:N0} pairs compared, peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):0} MiB"));
        await ReportRuns(connection, firstRun, $"batch {size}");
    }

    /// <summary>The columns a new version of a source record copies from its current one (all but its own id, record, number and operation).</summary>
    static async Task<List<string>> VersionColumnsAsync(NpgsqlConnection connection) => (await connection.QueryAsync<string>("""
            select quote_ident(column_name) from information_schema.columns
            where table_schema = current_schema() and table_name = 'source_record_version'
              and column_name not in ('id', 'source_record_id', 'version', 'op')
            order by ordinal_position
            """)).AsList();

    /// <summary>A policy system following the change feed from its start through everything the runs above wrote, in pages of 10,000.</summary>
    static async Task FollowChanges(NpgsqlConnection connection)
    {
        var watch = Stopwatch.StartNew();
        var (events, pages, cursor) = (0L, 0, (Tx: 0UL, Id: 0L));
        while (true)
        {
            var page = await PaduHub.GoldenRecords.ChangeFeed.ReadAsync(connection, cursor, ["person", "household"], PaduHub.GoldenRecords.ChangeFeed.MaxPage);
            (events, pages) = (events + page.Changes.Count, pages + 1);
            PaduHub.GoldenRecords.ChangeFeed.TryParseCursor(page.NextCursor, out cursor);
            if (!page.More)
            {
                break;
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"change feed followed from its start: {events:N0} events in {pages:N0} pages, {watch.Elapsed.TotalSeconds:0.0} s ({events / Math.Max(watch.Elapsed.TotalSeconds, 0.001):N0} events/s)"));
    }

    static async Task<PairwiseScore> Score(NpgsqlConnection connection, string population)
    {
        var truth = SourceRecordTruth.PersonOfRecord(population);
        var members = await connection.QueryAsync<(string Agency, string Key, long Golden)>(
            "select r.agency_code, r.source_key, m.golden_id from golden_member m join source_record r on r.id = m.source_record_id", commandTimeout: 0);
        var clusterOf = members.ToDictionary(m => m.Agency + ":" + m.Key, m => m.Golden.ToString(CultureInfo.InvariantCulture));
        var (classes, hardNegatives) = ClassBreakdown.Of(population, clusterOf);
        Console.WriteLine("missed by class of true pair: " + string.Join(", ", classes.Select(c =>
            string.Create(CultureInfo.InvariantCulture, $"{c.Name} {c.Missed:N0}/{c.TruePairs:N0}"))));
        Console.WriteLine("hard negatives joined: " + string.Join(", ", hardNegatives.Select(h =>
            string.Create(CultureInfo.InvariantCulture, $"{h.Kind} {h.Joined:N0}/{h.PairsOfPeople:N0}"))));
        return PairwiseEvaluation.Score(clusterOf, truth);
    }

    /// <summary>Candidate pairs scored on one thread with the trained model: the per-core scoring rate.</summary>
    static async Task ScoringSpeed(NpgsqlConnection connection)
    {
        var people = await SourcePerson.LoadAllAsync(connection, null);
        var records = SourcePerson.ToMatchRecords(people, new HashSet<string>(), DateOnly.FromDateTime(DateTime.UtcNow));
        var settings = new MatchSettings();
        var (pairs, _, blocking) = CandidateIndex.Pairs(records, settings);
        Console.WriteLine("pairs by blocking pass (a pair found by several counts in each): "
            + string.Join(", ", blocking.ByPass!.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:N0}"))));
        var stored = await connection.QuerySingleAsync<string>("select model::text from match_model order by id desc limit 1");
        var model = StoredModel.Parse(stored);
        Console.WriteLine($"model check: {model.Sanity.Verdict}{string.Concat(model.Sanity.Reasons.Select(r => "; " + r))}; name and birth +{model.NameAndBirthBits:0.00} bits, moved +{model.MovedBits:0.00} bits");
        var count = Math.Min(pairs.Count, 2_000_000);
        var watch = Stopwatch.StartNew();
        double sum = 0;
        for (var k = 0; k < count; k++)
        {
            sum += model.Weight(records[pairs[k].A], records[pairs[k].B]);
        }
        watch.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"scoring: {count:N0} candidate pairs on one thread in {watch.Elapsed.TotalSeconds:0.00} s = {count / watch.Elapsed.TotalSeconds:N0} pairs/s/core (checksum {sum:0})"));
    }

    /// <summary>
    /// One source record queued and matched at a time, as if an agency changed just that person. The first call is
    /// reported apart (it opens the index and loads the model), then 30 s of runs warm the process up unmeasured, as a
    /// hub that has been running is: without them the JIT's second tier compiles through the measured runs (perf: 30 to
    /// 40 % of the CPU in the first 20 s of one-record runs, none after 25 s).
    /// </summary>
    static async Task IncrementalLatency(NpgsqlConnection connection, PersonMatching matching, int samples)
    {
        var warmUp = TimeSpan.FromSeconds(30);
        var times = new List<double>();
        double? cold = null;
        var warming = Stopwatch.StartNew();
        var warmUpRuns = 0;
        var pauses = new List<(double Ms, double PausedMs, int Gen1, double JitMs)>();
        long lastUnmeasured = 0;
        // Drawn once: a random pick per run sorted every record each time (half a second at a million records).
        var ids = (await connection.QueryAsync<long>("select id from source_record where status = 'active' order by random() limit 50000")).AsList();
        for (var run = 0; times.Count < samples; run++)
        {
            var id = ids[run % ids.Count];
            await connection.ExecuteAsync("insert into match_queue (source_record_id, extract_id) values (@id, 0)", new { id });
            var pausedBefore = GC.GetTotalPauseDuration();
            var gen1Before = GC.CollectionCount(1);
            var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
            var watch = Stopwatch.StartNew();
            await matching.MatchQueuedAsync();
            if (cold is null)
            {
                cold = watch.Elapsed.TotalMilliseconds;
                warming.Restart();
            }
            else if (warming.Elapsed < warmUp)
            {
                warmUpRuns++;
                lastUnmeasured = await connection.ExecuteScalarAsync<long>("select max(id) from match_run");
            }
            else
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
                // What the garbage collector and the JIT (on every thread, tiering up in the background too) took of each
                // run, to tell them from the run's own work in the slowest.
                pauses.Add((watch.Elapsed.TotalMilliseconds, (GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds,
                    GC.CollectionCount(1) - gen1Before, (System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalMilliseconds));
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"incremental match, first call (opens the index, loads the model): {cold:0.0} ms"));
        times.Sort();
        Console.WriteLine("slowest runs, ms (of which garbage collection paused, ms; gen-1 collections; compiling, ms): " + string.Join(", ",
            pauses.OrderByDescending(p => p.Ms).Take(5).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Ms:0.0} ({p.PausedMs:0.0}; {p.Gen1}; {p.JitMs:0.0})"))));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"incremental match of one record ({times.Count} samples after {warmUpRuns} unmeasured in {warmUp.TotalSeconds:0} s): p50 {times[times.Count / 2]:0.0} ms, p99 {times[(int)(times.Count * 0.99)]:0.0} ms, max {times[^1]:0.0} ms"));
        await ReportRuns(connection, lastUnmeasured, "incremental");
    }

    /// <summary>The mean of each phase over the incremental runs after a run id, and where the slowest three spent their time: the p99 is theirs.</summary>
    static async Task ReportRuns(NpgsqlConnection connection, long afterRun, string what)
    {
        var phases = await connection.QueryAsync<(string Phase, double Ms)>(
            "select key, avg(value::float) * 1000 from match_run, jsonb_each_text(seconds) where kind = 'incremental' and id > @afterRun group by key order by 2 desc",
            new { afterRun });
        Console.WriteLine($"{what} phases, mean ms: " + string.Join(", ",
            phases.Where(p => p.Ms >= 0.05).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Phase} {p.Ms:0.0}"))));
        foreach (var (records, seconds) in await connection.QueryAsync<(int, string)>(
                     "select records, seconds::text from match_run where kind = 'incremental' and id > @afterRun order by finished_at - started_at desc limit 3",
                     new { afterRun }))
        {
            Console.WriteLine($"slow {what} run: {records} record(s), seconds {seconds}");
        }
    }

    /// <summary>
    /// One new source record matched at a time, in the process the runs above warmed up: a copy of a random active
    /// record under a new key (the person seen again, as a new agency record of someone the hub knows is), written
    /// as ingestion writes a new record and its first version, and queued. Only the match is timed. The copies are
    /// withdrawn again at the end, in one more run, so a kept hub stays the population its truth describes.
    /// </summary>
    static async Task NewRecordLatency(NpgsqlConnection connection, PersonMatching matching, int samples)
    {
        var names = await VersionColumnsAsync(connection);
        var columns = string.Join(", ", names);
        var copy = $"""
            with record as (select nextval(pg_get_serial_sequence('source_record', 'id')) as id),
            version as (
                insert into source_record_version (source_record_id, version, op, {columns})
                select record.id, 1, 'I', {string.Join(", ", names.Select(c => "v." + c))}
                from record, source_record r join source_record_version v on v.id = r.current_version_id where r.id = @from
                returning id, source_record_id),
            added as (
                insert into source_record (id, agency_code, source_key, status, current_version_id, first_extract_id, changed_extract_id)
                select version.source_record_id, r.agency_code, r.source_key || '~new' || @n, 'active', version.id, r.first_extract_id, r.changed_extract_id
                from version, source_record r where r.id = @from)
            insert into match_queue (source_record_id, extract_id) select source_record_id, 0 from version returning source_record_id
            """;
        var from = (await connection.QueryAsync<long>("select id from source_record where status = 'active' order by random() limit @samples", new { samples })).AsList();
        var added = new List<long>();
        var times = new List<double>();
        var firstRun = await connection.ExecuteScalarAsync<long>("select coalesce(max(id), 0) from match_run");
        foreach (var id in from)
        {
            added.Add(await connection.ExecuteScalarAsync<long>(copy, new { from = id, n = added.Count }));
            var watch = Stopwatch.StartNew();
            await matching.MatchQueuedAsync();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        var joined = await connection.ExecuteScalarAsync<long>("""
            select count(*) from unnest(@copied, @added) as x(copied, added)
            join golden_member c on c.source_record_id = x.copied join golden_member a on a.source_record_id = x.added
            where a.golden_id = c.golden_id
            """, new { copied = from.ToArray(), added = added.ToArray() });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"incremental match of one new record ({times.Count} samples, copies of random records under new keys, {joined:N0} joined the golden record of the record copied): p50 {times[times.Count / 2]:0.0} ms, p99 {times[(int)(times.Count * 0.99)]:0.0} ms, max {times[^1]:0.0} ms"));
        await ReportRuns(connection, firstRun, "new-record");
        await connection.ExecuteAsync("""
            update source_record set status = 'withdrawn', changed_at = now() where id = any(@added);
            insert into match_queue (source_record_id, extract_id) select unnest(@added), 0;
            """, new { added });
        await matching.MatchQueuedAsync();
    }
}
