using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using PaduHub.Access;
using PaduHub.Database;
using PaduHub.GoldenRecords;
using PaduHub.Samples;

namespace PaduHub.Benchmarks;

/// <summary>
/// The read API under load from wrk (a real HTTP load tool, a separate process) against the real server on loopback.
/// Golden persons and households for the whole generated population are written straight from the generator's truth:
/// the read path's cost depends on the tables' size and shape, not on how matching filled them, and matching a
/// million people first would make this run half an hour. Three measurements: person by id (random ids), a household
/// eligibility check (random households), and one streamed batch of 100,000 household checks.
/// Usage: api [--people N] [--seconds S] [--connections C] [--keep DIR]   (needs wrk: apt-get install wrk)
/// --keep seeds DIR once and reuses it on later runs (the seeding takes one to two minutes at a million people), so
/// one change to the read path can be measured against another without waiting for it.
/// </summary>
static class ApiRun
{
    const int Port = 5099;

    public static async Task<int> Run(string[] args)
    {
        var people = 1_000_000L;
        var seconds = 30;
        var connections = 16;
        string? keep = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--people": people = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--connections": connections = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--keep": keep = Path.GetFullPath(args[i + 1]); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        if (Process.Start(new ProcessStartInfo("sh", "-c \"command -v wrk\"") { RedirectStandardOutput = true }) is { } probe)
        {
            await probe.WaitForExitAsync();
            if (probe.ExitCode != 0)
            {
                Console.Error.WriteLine("wrk is needed for this benchmark: apt-get install wrk");
                return 2;
            }
        }
        var repository = Repository();
        var work = keep ?? Path.Combine(Path.GetTempPath(), $"paduhub-api-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        var seededFile = Path.Combine(work, "seeded.txt");
        Process? server = null;
        try
        {
            Console.WriteLine($"machine: {Machine.Describe()}");
            using var cluster = EmbeddedPostgres.Start(Path.Combine(work, "pg"));
            cluster.EnsureDatabase("bench");
            var connectionString = cluster.ConnectionString("bench");
            await SchemaMigrator.MigrateAsync(connectionString);
            long persons, households;
            string key;
            if (keep is not null && File.Exists(seededFile) && File.ReadAllText(seededFile).Split(' ') is [var asked, var p, var h, var k] && long.Parse(asked, CultureInfo.InvariantCulture) == people)
            {
                (persons, households, key) = (long.Parse(p, CultureInfo.InvariantCulture), long.Parse(h, CultureInfo.InvariantCulture), k.Trim());
                Console.WriteLine($"reusing {persons:N0} golden persons and {households:N0} households seeded in {work}");
            }
            else
            {
                var population = Path.Combine(work, "population");
                PopulationGenerator.Generate(new GeneratorOptions { People = people, Seed = 1, OutDir = population });
                var seed = Stopwatch.StartNew();
                (persons, households) = await SeedAsync(connectionString, population);
                Console.WriteLine($"seeded {persons:N0} golden persons and {households:N0} households in {seed.Elapsed.TotalSeconds:0.0} s");
                (_, key) = await ApiClients.CreateAsync(connectionString, "bench", ["profile:read", "household:read", "eligibility:check"]);
                Directory.Delete(population, recursive: true);
                File.WriteAllText(seededFile, string.Create(CultureInfo.InvariantCulture, $"{people} {persons} {households} {key}"));
            }

            server = StartServer(repository, connectionString, work);
            await WaitForHealthAsync();

            var personScript = Lua(work, "person.lua", $$"""
                wrk.headers["X-Api-Key"] = "{{key}}"
                wrk.headers["X-Purpose"] = "benchmark"
                request = function()
                  return wrk.format("GET", "/api/v1/persons/" .. math.random(1, {{persons}}))
                end
                """);
            var checkScript = Lua(work, "check.lua", $$"""
                wrk.headers["X-Api-Key"] = "{{key}}"
                wrk.headers["X-Purpose"] = "benchmark"
                wrk.headers["Content-Type"] = "application/json"
                request = function()
                  return wrk.format("POST", "/api/v1/eligibility/STR2025/check", nil, '{"household_id": ' .. math.random(1, {{households}}) .. '}')
                end
                """);
            // A warm-up, so the JIT's first tiers and a cold database cache are not what is measured: requests run slower
            // for the first 10 to 20 s of a server's life (measured: 0.35 to 0.45 ms of server CPU a request in the first
            // 10 s after a 5 s warm-up, 0.17 to 0.22 ms after that).
            await Wrk(personScript, 20, connections, print: false);
            Console.WriteLine($"\nperson by id, {connections} connections, {seconds} s:");
            await Wrk(personScript, seconds, connections, print: true);
            await Wrk(checkScript, 20, connections, print: false);
            Console.WriteLine($"\nhousehold eligibility check (STR2025), {connections} connections, {seconds} s:");
            await Wrk(checkScript, seconds, connections, print: true);

            var ids = Enumerable.Range(1, (int)Math.Min(households, 100_000)).Select(i => (long)i).ToArray();
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromMinutes(10) };
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
            http.DefaultRequestHeaders.Add("X-Purpose", "benchmark");
            var batch = Stopwatch.StartNew();
            using var response = await http.PostAsJsonAsync("/api/v1/eligibility/STR2025/batch", new { household_ids = ids },
                CancellationToken.None);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            long lines = 0, eligible = 0;
            while (await reader.ReadLineAsync() is { } line)
            {
                lines++;
                eligible += line.Contains("\"decision\":\"eligible\"", StringComparison.Ordinal) ? 1 : 0;
            }
            Console.WriteLine($"\nbatch eligibility (STR2025): {lines:N0} households answered in {batch.Elapsed.TotalSeconds:0.0} s ({eligible:N0} eligible), status {(int)response.StatusCode}");
            await using var connection = new NpgsqlConnection(connectionString);
            Console.WriteLine($"access audit rows written: {await connection.ExecuteScalarAsync<long>("select count(*) from access_audit"):N0}");
            return 0;
        }
        finally
        {
            if (server is { HasExited: false })
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }
            if (keep is null)
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    internal static string Repository()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PaduHub.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("run this from the repository (PaduHub.sln not found above the benchmark)");
    }

    static Process StartServer(string repository, string connectionString, string work)
    {
        var dll = Path.Combine(repository, "src", "PaduHub.Server", "bin", "Release", "net10.0", "PaduHub.Server.dll");
        var build = Process.Start(new ProcessStartInfo("dotnet", $"build -c Release \"{Path.Combine(repository, "src", "PaduHub.Server")}\" -v q -nologo")
        { RedirectStandardOutput = true })!;
        build.StandardOutput.ReadToEnd();
        build.WaitForExit();
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\" --urls http://127.0.0.1:{Port}")
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ConnectionStrings__Padu"] = connectionString;
        start.Environment["Padu__LoadDemo"] = "false";
        start.Environment["Padu__RateLimit__PerClientPerSecond"] = "1000000";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Padu__MatchIndex"] = Path.Combine(work, "index");
        start.Environment["Padu__SpoolFolder"] = Path.Combine(work, "spool");
        start.Environment["Padu__DropFolders"] = Path.Combine(work, "dropbox");
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) Console.Error.WriteLine("server: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    static async Task WaitForHealthAsync()
    {
        using var http = new HttpClient();
        for (var i = 0; i < 120; i++)
        {
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{Port}/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(500);
        }
        throw new TimeoutException("the server did not answer /health within a minute");
    }

    static string Lua(string work, string name, string text)
    {
        var path = Path.Combine(work, name);
        File.WriteAllText(path, text);
        return path;
    }

    static async Task Wrk(string script, int seconds, int connections, bool print)
    {
        var wrk = Process.Start(new ProcessStartInfo("wrk", $"-t1 -c{connections} -d{seconds}s --latency -s {script} http://127.0.0.1:{Port}")
        { RedirectStandardOutput = true })!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        if (print)
        {
            Console.Write(output);
        }
    }

    /// <summary>Golden persons, their identifiers and households, written by COPY from the generator's truth files.</summary>
    static async Task<(long Persons, long Households)> SeedAsync(string connectionString, string population)
    {
        var at = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var householdRows = File.ReadLines(Path.Combine(population, "truth", "households.csv")).Skip(1).Select(PeopleTruth.SplitQuoted).ToList();
        var address = householdRows.ToDictionary(h => h[0], h => h);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var members = new List<(long Golden, long Household, string Role)>();
        long persons = 0;
        await using (var importer = await connection.BeginBinaryImportAsync(
            "copy golden_person (id, status, version, mykad, full_name, date_of_birth, sex, attributes) from stdin (format binary)"))
        await using (var identifiers = new NpgsqlConnection(connectionString))
        {
            await identifiers.OpenAsync();
            await using var ids = await identifiers.BeginBinaryImportAsync("copy golden_identifier (kind, value, golden_id, agencies) from stdin (format binary)");
            using var reader = new StreamReader(Path.Combine(population, "truth", "people.csv"));
            var header = PeopleTruth.SplitQuoted(reader.ReadLine()!);
            int Col(string name) => header.IndexOf(name);
            int personId = Col("person_id"), householdId = Col("household_id"), role = Col("role"), name = Col("full_name"), dob = Col("date_of_birth"),
                mykad = Col("mykad"), citizen = Col("citizen"), oldIc = Col("old_ic"), died = Col("died_on"), income = Col("monthly_income"), employer = Col("employer"),
                phone = Col("phone"), sex = Col("sex");
            while (reader.ReadLine() is { } line)
            {
                var f = PeopleTruth.SplitQuoted(line);
                var id = long.Parse(f[personId][1..], CultureInfo.InvariantCulture);
                var json = new StringBuilder("{");
                void Attribute(string attribute, string? value, string agency, bool verified)
                {
                    if (string.IsNullOrEmpty(value))
                    {
                        return;
                    }
                    json.Append(json.Length > 1 ? "," : "").Append('"').Append(attribute).Append("\":")
                        .Append(System.Text.Json.JsonSerializer.Serialize(new AttributeLineage(value, agency, 0, 0, 0, at, verified)));
                }
                Attribute("full_name", f[name], "JPN", true);
                Attribute("mykad", f[mykad], "JPN", true);
                Attribute("date_of_birth", f[dob], "JPN", true);
                Attribute("sex", f[sex], "JPN", true);
                Attribute("citizenship", f[citizen] == "Y" ? "CITIZEN" : "PERMANENT_RESIDENT", "JPN", true);
                Attribute("death_date", f[died], "JPN", true);
                if (address.TryGetValue(f[householdId], out var h))
                {
                    Attribute("address", h[3], "TNB", false);
                    Attribute("postcode", h[4], "TNB", false);
                    Attribute("town", h[5], "TNB", false);
                    Attribute("state", h[7], "TNB", false);
                }
                Attribute("phone", f[phone], "TNB", false);
                Attribute("monthly_income", f[income] is "" or "0" ? null : f[income], "KWSP", true);
                Attribute("employer", f[employer], "KWSP", true);
                json.Append('}');
                await importer.StartRowAsync();
                await importer.WriteAsync(id, NpgsqlDbType.Bigint);
                await importer.WriteAsync("active", NpgsqlDbType.Text);
                await importer.WriteAsync(1, NpgsqlDbType.Integer);
                await Nullable(importer, f[mykad], NpgsqlDbType.Text);
                await importer.WriteAsync(f[name], NpgsqlDbType.Text);
                if (DateOnly.TryParse(f[dob], CultureInfo.InvariantCulture, out var born))
                {
                    await importer.WriteAsync(born, NpgsqlDbType.Date);
                }
                else
                {
                    await importer.WriteNullAsync();
                }
                await importer.WriteAsync(f[sex], NpgsqlDbType.Char);
                await importer.WriteAsync(json.ToString(), NpgsqlDbType.Jsonb);
                persons++;
                foreach (var (kind, value) in new[] { ("MYKAD", f[mykad]), ("OLD_IC", f[oldIc]) })
                {
                    if (value.Length > 0)
                    {
                        await ids.StartRowAsync();
                        await ids.WriteAsync(kind, NpgsqlDbType.Text);
                        await ids.WriteAsync(value, NpgsqlDbType.Text);
                        await ids.WriteAsync(id, NpgsqlDbType.Bigint);
                        await ids.WriteAsync(new[] { "JPN" }, NpgsqlDbType.Array | NpgsqlDbType.Text);
                    }
                }
                if (f[died].Length == 0)
                {
                    var r = f[role] is "head" or "spouse" or "child" or "parent" or "grandchild" ? f[role] : "other";
                    members.Add((id, long.Parse(f[householdId][1..], CultureInfo.InvariantCulture), r));
                }
            }
            await ids.CompleteAsync();
            await importer.CompleteAsync();
        }
        await using (var importer = await connection.BeginBinaryImportAsync(
            "copy golden_household_member (golden_id, household_id, role) from stdin (format binary)"))
        {
            foreach (var (golden, household, role) in members)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(golden, NpgsqlDbType.Bigint);
                await importer.WriteAsync(household, NpgsqlDbType.Bigint);
                await importer.WriteAsync(role, NpgsqlDbType.Text);
            }
            await importer.CompleteAsync();
        }
        var heads = members.Where(m => m.Role == "head").ToDictionary(m => m.Household, m => m.Golden);
        var sizes = members.GroupBy(m => m.Household).ToDictionary(g => g.Key, g => g.Count());
        long households = 0;
        await using (var importer = await connection.BeginBinaryImportAsync("""
            copy golden_household (id, status, version, head_id, size, monthly_income, per_capita_income, income_group, income_year, income_sources, evidence, fingerprint)
            from stdin (format binary)
            """))
        {
            foreach (var h in householdRows)
            {
                var id = long.Parse(h[0][1..], CultureInfo.InvariantCulture);
                if (!sizes.TryGetValue(id, out var size))
                {
                    continue;
                }
                var monthly = decimal.Parse(h[9], CultureInfo.InvariantCulture);
                await importer.StartRowAsync();
                await importer.WriteAsync(id, NpgsqlDbType.Bigint);
                await importer.WriteAsync("active", NpgsqlDbType.Text);
                await importer.WriteAsync(1, NpgsqlDbType.Integer);
                if (heads.TryGetValue(id, out var head))
                {
                    await importer.WriteAsync(head, NpgsqlDbType.Bigint);
                }
                else
                {
                    await importer.WriteNullAsync();
                }
                await importer.WriteAsync(size, NpgsqlDbType.Integer);
                await importer.WriteAsync(monthly, NpgsqlDbType.Numeric);
                await importer.WriteAsync(Math.Round(monthly / size, 2), NpgsqlDbType.Numeric);
                await importer.WriteAsync(PaduHub.Households.IncomeGroups.Of(monthly, 2024), NpgsqlDbType.Text);
                await importer.WriteAsync(2024, NpgsqlDbType.Integer);
                await importer.WriteAsync("""[{"agency":"KWSP"}]""", NpgsqlDbType.Jsonb);
                await importer.WriteAsync("""["seeded from the generator's truth"]""", NpgsqlDbType.Jsonb);
                await importer.WriteAsync("seed", NpgsqlDbType.Text);
                households++;
            }
            await importer.CompleteAsync();
        }
        await connection.ExecuteAsync("analyze golden_person; analyze golden_household; analyze golden_household_member; analyze golden_identifier");
        return (persons, households);
    }

    static Task Nullable(NpgsqlBinaryImporter importer, string value, NpgsqlDbType type) =>
        value.Length == 0 ? importer.WriteNullAsync() : importer.WriteAsync(value, type);
}
