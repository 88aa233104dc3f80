using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Dapper;
using Npgsql;
using PaduHub.Access;
using PaduHub.Database;
using PaduHub.GoldenRecords;
using PaduHub.Households;
using PaduHub.Ingestion;

namespace PaduHub.Tests.ScaleOut;

/// <summary>
/// The hub as several processes on one PostgreSQL with a streaming replica, every one of them real: two API processes
/// (reads from the replica, uploads spooled to a shared folder), two worker processes (jobs from the named queues),
/// a primary and a hot standby of their own. The demo's deltas are uploaded through both API processes while readers
/// ask for people and households through both; a worker is SIGKILLed holding a matching job, and the replica is
/// SIGKILLed and later started again. Nothing may fail and nothing may be lost: every read answered, every answer
/// audited, every file loaded once, every record matched, the dead worker's job finished by the other. Processes are
/// started here, aimed at loopback, and ended by pid.
/// </summary>
[NonParallelizable]
public sealed class ScaleOutTests
{
    /// <summary>How long a dead worker's job stays its own before another worker takes it (Padu:Jobs:TakeOverSeconds).</summary>
    const int TakeOverSeconds = 10;

    static readonly string[] s_agencies = ["JKM", "JPN", "KWSP", "LHDN", "TNB"];

    static string Demo(string relative) => Path.Combine(Repository.Root, "samples", "demo", relative);

    string _scratch = "";
    EmbeddedPostgres? _primary;
    EmbeddedPostgres? _standby;
    readonly List<HubProcess> _hubs = [];

    [SetUp]
    public void Folders() => _scratch = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"paduhub-scale-{Guid.NewGuid():N}")).FullName;

    [TearDown]
    public async Task StopEverything()
    {
        foreach (var hub in _hubs)
        {
            await hub.DisposeAsync();
        }
        _standby?.Dispose();
        _primary?.Dispose();
        // Clusters a killed hub left running: a fast shutdown (SIGINT) by the pid in their postmaster.pid.
        foreach (var pidFile in Directory.GetFiles(_scratch, "postmaster.pid", SearchOption.AllDirectories))
        {
            if (int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid))
            {
                using var stop = System.Diagnostics.Process.Start("kill", ["-INT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await stop.WaitForExitAsync();
                for (var i = 0; i < 100 && File.Exists(pidFile); i++)
                {
                    await Task.Delay(100);
                }
            }
        }
        Directory.Delete(_scratch, recursive: true);
    }

    [Test]
    public async Task Two_api_and_two_worker_processes_with_a_replica_ingest_the_deltas_while_serving_reads_and_lose_nothing_when_a_worker_and_the_replica_die()
    {
        var primaryUrl = await StartSeededPrimaryAsync();
        _standby = EmbeddedPostgres.StartStandby(Path.Combine(_scratch, "pg-replica"), _primary!);

        var reader = await ApiClients.CreateAsync(primaryUrl, "policy-reader", ["profile:read", "household:read"]);
        var uploaders = new Dictionary<string, string>();
        foreach (var agency in s_agencies)
        {
            uploaders[agency] = (await ApiClients.CreateAsync(primaryUrl, $"{agency.ToLowerInvariant()}-uploader", [ApiClient.IngestScope(agency)])).Key;
        }
        var apis = new[] { await StartAsync("api-1", "api"), await StartAsync("api-2", "api") };
        var workers = new[] { await StartAsync("worker-1", "worker"), await StartAsync("worker-2", "worker") };

        await using var primary = new NpgsqlConnection(primaryUrl);
        await primary.OpenAsync();
        var people = (await primary.QueryAsync<long>("select id from golden_person where status = 'active' order by id")).ToArray();
        var households = (await primary.QueryAsync<long>("select id from golden_household order by id")).ToArray();
        using var stopReading = new CancellationTokenSource();
        var answers = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentQueue<string>();
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(() => ReadUntilStoppedAsync(apis, reader.Key, people, households, r, answers, failures,
            stopReading.Token))).ToArray();

        var days = DeltaDays();
        var uploads = 0;
        async Task UploadDayAsync(int day)
        {
            foreach (var file in days[day])
            {
                var agency = Path.GetFileName(file).Split('_')[0].ToUpperInvariant();
                await UploadAsync(apis[uploads++ % apis.Length], uploaders[agency], agency, file);
            }
        }

        // Matching is held (as a long run elsewhere would hold it) so each worker's matching job waits inside it.
        await using var holder = new NpgsqlConnection(primaryUrl);
        await holder.OpenAsync();
        await holder.ExecuteAsync("select pg_advisory_lock(@MatchingLock)", new { MatchingSetup.MatchingLock });
        await UploadDayAsync(0);
        var held = await JobHeldByAsync(primary, workers[0], TimeSpan.FromSeconds(20));
        Assert.That(held, Is.Not.Null, () => $"the first worker took a matching job\n{workers[0].Output}");

        await workers[0].KillAsync();
        var replicaPort = _standby.Port;
        KillReplica();
        await holder.ExecuteAsync("select pg_advisory_unlock(@MatchingLock)", new { MatchingSetup.MatchingLock });
        var killedAt = DateTime.UtcNow;
        await UploadDayAsync(1);
        await UploadDayAsync(2);

        var finished = await WaitAsync(TimeSpan.FromSeconds(TakeOverSeconds + 120), async () =>
            await primary.ExecuteScalarAsync<string>("select statename from hangfire.job where id = @held", new { held }) == "Succeeded");
        Assert.That(finished, Is.True, () => $"the dead worker's job was finished by the other within {TakeOverSeconds + 120} s: " + string.Join("\n", primary.Query<string>("""
            select s.createdat || ' ' || s.name || ' ' || coalesce(s.reason, '') || ' ' || coalesce(s.data::text, '') from hangfire.state s where s.jobid = @held
            union all select 'queue ' || q.queue || ' fetched ' || coalesce(q.fetchedat::text, '-') from hangfire.jobqueue q where q.jobid = @held
            union all select 'server ' || id || ' ' || lastheartbeat from hangfire.server
            union all select 'now ' || now()
            """, new { held })) + $"\n{workers[1].Output}");
        TestContext.Out.WriteLine($"the dead worker's job finished {(DateTime.UtcNow - killedAt).TotalSeconds:0} s after the kill: " + string.Join("; ",
            await primary.QueryAsync<string>("select s.name || ' ' || coalesce(s.reason, '') from hangfire.state s where s.jobid = @held order by s.id", new { held })));
        var settled = await WaitAsync(TimeSpan.FromSeconds(120), async () => await primary.ExecuteScalarAsync<bool>("""
            select (select count(*) from extract where status = 'loaded') = @uploads + 5
               and not exists (select 1 from match_queue) and not exists (select 1 from household_queue)
               and not exists (select 1 from hangfire.job where statename in ('Enqueued', 'Processing', 'Awaiting', 'Scheduled'))
            """, new { uploads }));
        Assert.That(settled, Is.True, () => $"every upload loaded, matched and formed into households: " + string.Join(", ", primary.Query<string>("""
            select 'extracts ' || status || ' ' || count(*) from extract group by status
            union all select 'match_queue ' || count(*) from match_queue union all select 'household_queue ' || count(*) from household_queue
            union all select 'jobs ' || statename || ' ' || count(*) from hangfire.job group by statename
            union all select 'unfinished ' || j.id || ' ' || j.statename || ' ' || (j.invocationdata::jsonb->>'Method') || ' queue ' || coalesce(q.queue, '-')
                || ' fetched ' || coalesce(q.fetchedat::text, '-') || ' state ' || s.data::text
            from hangfire.job j join hangfire.state s on s.id = j.stateid left join hangfire.jobqueue q on q.jobid = j.id
            where j.statename in ('Processing', 'Awaiting', 'Enqueued')
            """)) + $"\n{workers[1].Output}");

        // The replica comes back and is read from again.
        _standby = EmbeddedPostgres.StartStandby(Path.Combine(_scratch, "pg-replica"), _primary!, port: replicaPort);
        var readsBefore = await ReplicaReadsAsync(apis);
        var back = await WaitAsync(TimeSpan.FromSeconds(30), async () => await ReplicaReadsAsync(apis) > readsBefore);
        await stopReading.CancelAsync();
        await Task.WhenAll(readers);

        Assert.That(back, Is.True, "reads went to the replica again once it was back");
        Assert.That(failures, Is.Empty, () => $"no read failed while a worker and the replica died\n{apis[0].Output}\n{apis[1].Output}");
        TestContext.Out.WriteLine("answers: " + string.Join(", ", answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} {a.Value}")));
        Assert.That(answers.Where(a => a.Key.EndsWith(" 200", StringComparison.Ordinal)).Sum(a => a.Value), Is.GreaterThan(100));
        // Every answer given with personal data was audited on the primary, none lost on the way.
        var audited = await primary.ExecuteScalarAsync<int>("select count(*) from access_audit where client_id = @id and status = 200", new { id = reader.Client.Id });
        Assert.That(audited, Is.EqualTo(answers.Where(a => a.Key.EndsWith(" 200", StringComparison.Ordinal)).Sum(a => a.Value)));

        // Nothing lost: each file loaded once, as one process loading them in turn loads them; every active record matched.
        var expected = await ReferenceLoadAsync(days.SelectMany(d => d).ToList());
        var loaded = (await primary.QueryAsync<(string Name, long Inserted, long Updated, long Deleted, long Rejected)>(
            "select file_name, inserted::bigint, updated::bigint, deleted::bigint, rejected::bigint from extract where kind = 'delta' order by file_name")).ToList();
        Assert.That(loaded, Is.EqualTo(expected));
        Assert.That(await primary.ExecuteScalarAsync<long>("""
            select count(*) from source_record r where r.status = 'active' and not exists (select 1 from golden_member m where m.source_record_id = r.id)
            """), Is.Zero, "every active record is in a golden record");
        Assert.That(await primary.ExecuteScalarAsync<int>("select count(*) from extract where status <> 'loaded'"), Is.Zero);
    }

    /// <summary>A role the hub does not know stops it at once, saying which roles there are.</summary>
    [Test]
    public async Task An_unknown_role_stops_the_server_saying_which_roles_there_are()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var start = new System.Diagnostics.ProcessStartInfo("dotnet",
            [Path.Combine(Repository.Root, "src", "PaduHub.Server", "bin", configuration, "net10.0", "PaduHub.Server.dll"), "--urls", $"http://127.0.0.1:{HubProcess.FreePort()}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _scratch,
        };
        start.Environment["Padu__Role"] = "sideways";
        start.Environment["PADU_HOME"] = Path.Combine(_scratch, "home");
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        Assert.That(process.WaitForExit(30_000), Is.True);
        Assert.That(process.ExitCode, Is.EqualTo(2));
        Assert.That(output, Does.Contain("Padu:Role is \"sideways\"; it must be api, worker or both"));
        Assert.That(Directory.Exists(Path.Combine(_scratch, "home", "pg")), Is.False, "stopped before it made a cluster");
    }

    /// <summary>The embedded default asked for a replica: a hot standby of its own cluster, read from, stopped with the hub.</summary>
    [Test]
    public async Task The_embedded_hub_starts_a_streaming_replica_of_its_own_and_reads_from_it()
    {
        var home = Path.Combine(_scratch, "home");
        var hub = await HubProcess.StartAsync(_scratch, new Dictionary<string, string>
        {
            ["PADU_HOME"] = home,
            ["PADU_DATABASE_URL"] = "",
            ["Padu__LoadDemo"] = "false",
            ["Padu__EmbeddedReplica"] = "true",
        });
        _hubs.Add(hub);
        using var http = new HttpClient();
        JsonElement replica = default;
        var up = await WaitAsync(TimeSpan.FromSeconds(30), async () =>
        {
            using var health = JsonDocument.Parse(await http.GetStringAsync(new Uri(hub.Address, "/health")));
            replica = health.RootElement.GetProperty("read_replicas").EnumerateArray().Select(r => r.Clone()).SingleOrDefault();
            return replica.ValueKind == JsonValueKind.Object && replica.GetProperty("status").GetString() == "up";
        });
        Assert.That(up, Is.True, () => $"the replica is up: {replica}\n{hub.Output}");
        Assert.That(Directory.Exists(Path.Combine(home, "pg-replica", "data")), Is.True);
        Assert.That(File.Exists(Path.Combine(home, "pg-replica", "data", "standby.signal")), Is.True, "a standby, not a copy");

        // The hub's own key lookups go to the replica (a person not found is still a read).
        var key = (await ApiClients.CreateAsync(new NpgsqlConnectionStringBuilder(await HubConnectionStringAsync(home)).ConnectionString, "reader", ["profile:read"])).Key;
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        http.DefaultRequestHeaders.Add("X-Purpose", "replica test");
        var reads = await WaitAsync(TimeSpan.FromSeconds(20), async () =>
        {
            await http.GetAsync(new Uri(hub.Address, "/api/v1/persons/1"));
            using var health = JsonDocument.Parse(await http.GetStringAsync(new Uri(hub.Address, "/health")));
            return health.RootElement.GetProperty("read_replicas")[0].GetProperty("reads").GetInt64() > 0;
        });
        Assert.That(reads, Is.True, "a read was served by the replica");

        // A clean stop stops both clusters.
        System.Diagnostics.Process.Start("kill", ["-TERM", hub.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        Assert.That(hub.Process.WaitForExit(60_000), Is.True);
        Assert.That(File.Exists(Path.Combine(home, "pg", "data", "postmaster.pid")), Is.False, "the primary stopped");
        Assert.That(File.Exists(Path.Combine(home, "pg-replica", "data", "postmaster.pid")), Is.False, "the replica stopped");
    }

    /// <summary>The embedded cluster's superuser connection, from the password kept beside it.</summary>
    static Task<string> HubConnectionStringAsync(string home)
    {
        var pg = Path.Combine(home, "pg");
        var port = File.ReadLines(Path.Combine(pg, "data", "postmaster.pid")).ElementAt(3).Trim();
        return Task.FromResult(new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = int.Parse(port, System.Globalization.CultureInfo.InvariantCulture),
            Username = "postgres",
            Password = File.ReadAllText(Path.Combine(pg, "superuser.password")).Trim(),
            Database = PaduDatabase.DatabaseName,
        }.ConnectionString);
    }

    /// <summary>
    /// Two worker processes taking turns at matching, one stopped while the other works: the one back from away brings
    /// its standing index up to date with what the other matched, and says so; one that never had an index builds it.
    /// Each worker matches what waits in the queue as it starts.
    /// </summary>
    [Test]
    public async Task Two_worker_processes_taking_turns_catch_their_index_up_or_rebuild_it_and_say_which()
    {
        var url = await StartSeededPrimaryAsync();
        var loader = new ExtractLoader(url, AgencyContracts.Load(), Path.Combine(_scratch, "spool"));
        var days = DeltaDays();
        await using var connection = new NpgsqlConnection(url);
        await connection.OpenAsync();

        async Task<string> TurnAsync(int day, string worker)
        {
            foreach (var file in days[day])
            {
                await loader.LoadAsync(new ExtractRequest(Path.GetFileName(file).Split('_')[0].ToUpperInvariant(), file, Path.GetFileName(file), "cli"));
            }
            var runs = await connection.ExecuteScalarAsync<long>("select count(*) from match_run");
            var hub = await HubProcess.StartAsync(_scratch, new Dictionary<string, string>
            {
                ["PADU_DATABASE_URL"] = url,
                ["PADU_HOME"] = Path.Combine(_scratch, worker),
                ["Padu__Role"] = "worker",
                ["Padu__LoadDemo"] = "false",
            });
            var matched = await WaitAsync(TimeSpan.FromSeconds(60), async () => await connection.ExecuteScalarAsync<bool>(
                "select not exists (select 1 from match_queue) and (select count(*) from match_run where finished_at is not null) > @runs", new { runs }));
            Assert.That(matched, Is.True, () => $"{worker} matched day {day}'s records\n{hub.Output}");
            // A clean stop (SIGTERM) writes the index's last run to disk, as a worker taken down for the night does.
            using (var stop = System.Diagnostics.Process.Start("kill", ["-TERM", hub.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            {
                await stop.WaitForExitAsync();
            }
            Assert.That(hub.Process.WaitForExit(60_000), Is.True, "the worker stops");
            await hub.DisposeAsync();
            return hub.Output;
        }

        Assert.That(await TurnAsync(0, "worker-a"), Does.Contain("rebuilt").And.Contain("because this worker has none"));
        Assert.That(await TurnAsync(1, "worker-b"), Does.Contain("rebuilt").And.Contain("because this worker has none"));
        var back = await TurnAsync(2, "worker-a");
        Assert.That(back, Does.Match(@"Standing match index caught up from run \d+ to run \d+: [1-9]\d* records matched elsewhere"), back);
        Assert.That(await connection.ExecuteScalarAsync<string>("select seconds::text from match_run order by id desc limit 1"), Does.Contain("index_catch_up"));
    }

    async Task<HubProcess> StartAsync(string name, string role)
    {
        var hub = await HubProcess.StartAsync(_scratch, new Dictionary<string, string>
        {
            ["PADU_DATABASE_URL"] = _primary!.ConnectionString(PaduDatabase.DatabaseName),
            ["PADU_READ_DATABASE_URL"] = $"postgres://127.0.0.1:{_standby!.Port}",
            ["PADU_HOME"] = Path.Combine(_scratch, name),
            ["Padu__Role"] = role,
            ["Padu__SpoolFolder"] = Path.Combine(_scratch, "spool"),
            ["Padu__LoadDemo"] = "false",
            ["Padu__Jobs__TakeOverSeconds"] = TakeOverSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        _hubs.Add(hub);
        return hub;
    }

    /// <summary>The demo's deltas by day (their sequence number), each day's files in name order.</summary>
    static List<List<string>> DeltaDays() =>
        Directory.GetFiles(Demo("deltas")).GroupBy(f => Path.GetFileNameWithoutExtension(f)[^4..]).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Order(StringComparer.Ordinal).ToList()).ToList();

    /// <summary>A primary of the test's own, migrated, holding the demo's full extracts matched into golden records and households.</summary>
    async Task<string> StartSeededPrimaryAsync()
    {
        _primary = EmbeddedPostgres.Start(Path.Combine(_scratch, "pg"), durable: false);
        _primary.EnsureDatabase(PaduDatabase.DatabaseName);
        var url = _primary.ConnectionString(PaduDatabase.DatabaseName);
        await SchemaMigrator.MigrateAsync(url);
        await SeedFullExtractsAsync(url);
        return url;
    }

    async Task SeedFullExtractsAsync(string connectionString)
    {
        var loader = new ExtractLoader(connectionString, AgencyContracts.Load(), Path.Combine(_scratch, "seed-spool"));
        await loader.RegisterAgenciesAsync();
        foreach (var agency in s_agencies)
        {
            var file = Directory.GetFiles(Demo("extracts"), agency.ToLowerInvariant() + "_full.*").Single();
            await loader.LoadAsync(new ExtractRequest(agency, file, Path.GetFileName(file), "cli"));
        }
        var index = Path.Combine(_scratch, "seed-index");
        await new PersonMatching(connectionString, AgencyContracts.Load(), index).FullRematchAsync();
        await new GoldenHouseholds(connectionString).RebuildAsync();
    }

    /// <summary>The same deltas loaded one after another by one process into a database of their own: what each receipt should say.</summary>
    async Task<List<(string Name, long Inserted, long Updated, long Deleted, long Rejected)>> ReferenceLoadAsync(List<string> files)
    {
        var connectionString = await TestDatabase.CreateAsync("scale_reference");
        try
        {
            var loader = new ExtractLoader(connectionString, AgencyContracts.Load(), Path.Combine(_scratch, "reference-spool"));
            await loader.RegisterAgenciesAsync();
            foreach (var agency in s_agencies)
            {
                var full = Directory.GetFiles(Demo("extracts"), agency.ToLowerInvariant() + "_full.*").Single();
                await loader.LoadAsync(new ExtractRequest(agency, full, Path.GetFileName(full), "cli"));
            }
            foreach (var file in files)
            {
                await loader.LoadAsync(new ExtractRequest(Path.GetFileName(file).Split('_')[0].ToUpperInvariant(), file, Path.GetFileName(file), "cli"));
            }
            await using var connection = new NpgsqlConnection(connectionString);
            return (await connection.QueryAsync<(string, long, long, long, long)>(
                "select file_name, inserted::bigint, updated::bigint, deleted::bigint, rejected::bigint from extract where kind = 'delta' order by file_name")).ToList();
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
        }
    }

    static async Task UploadAsync(HubProcess api, string key, string agency, string file)
    {
        using var http = new HttpClient { BaseAddress = api.Address };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/v1/agencies/{agency}/extracts?file_name={Path.GetFileName(file)}", UriKind.Relative))
        {
            Content = new StreamContent(File.OpenRead(file)),
        };
        request.Headers.Add("X-Api-Key", key);
        using var response = await http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
    }

    /// <summary>People and households asked for through both API processes in turn until stopped; every answer's status counted, every failure kept.</summary>
    static async Task ReadUntilStoppedAsync(HubProcess[] apis, string key, long[] people, long[] households, int seed, ConcurrentDictionary<string, int> answers,
        ConcurrentQueue<string> failures, CancellationToken stop)
    {
        var random = new Random(seed);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        http.DefaultRequestHeaders.Add("X-Purpose", "scale-out test");
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var (what, path) = i % 4 == 3 ? ("household", $"/api/v1/households/{households[random.Next(households.Length)]}") : ("person", $"/api/v1/persons/{people[random.Next(people.Length)]}");
            var api = apis[i % apis.Length];
            try
            {
                using var response = await http.GetAsync(new Uri(api.Address, path), CancellationToken.None);
                answers.AddOrUpdate($"{what} {(int)response.StatusCode}", 1, (_, n) => n + 1);
                if ((int)response.StatusCode >= 500)
                {
                    failures.Enqueue($"{path} on {api.Address}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failures.Enqueue($"{path} on {api.Address}: {e.Message}");
            }
        }
    }

    /// <summary>The id of a matching job the worker is running now, waiting at most <paramref name="within"/> for one.</summary>
    static async Task<long?> JobHeldByAsync(NpgsqlConnection connection, HubProcess worker, TimeSpan within)
    {
        long? held = null;
        await WaitAsync(within, async () =>
        {
            held = await connection.ExecuteScalarAsync<long?>("""
                select j.id from hangfire.job j join hangfire.state s on s.id = j.stateid
                where j.statename = 'Processing' and s.data::text like @server and j.invocationdata::text like '%MatchQueued%'
                limit 1
                """, new { server = $"%:{worker.Process.Id}:match%" });
            return held is not null;
        });
        return held;
    }

    /// <summary>SIGKILL to the standby's postmaster, by the pid in its postmaster.pid: as a crashed machine stops.</summary>
    void KillReplica()
    {
        var pid = int.Parse(File.ReadLines(Path.Combine(_standby!.DataDirectory, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
        using var postmaster = System.Diagnostics.Process.GetProcessById(pid);
        postmaster.Kill();
        postmaster.WaitForExit(10_000);
        _standby.Abandon();
        _standby = null;
    }

    static async Task<long> ReplicaReadsAsync(HubProcess[] apis)
    {
        using var http = new HttpClient();
        long reads = 0;
        foreach (var api in apis)
        {
            using var health = JsonDocument.Parse(await http.GetStringAsync(new Uri(api.Address, "/health")));
            reads += health.RootElement.GetProperty("read_replicas").EnumerateArray().Sum(r => r.GetProperty("reads").GetInt64());
        }
        return reads;
    }

    static async Task<bool> WaitAsync(TimeSpan within, Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await done())
            {
                return true;
            }
            await Task.Delay(200);
        }
        return false;
    }
}
