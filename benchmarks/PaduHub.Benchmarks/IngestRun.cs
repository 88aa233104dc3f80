using System.Diagnostics;
using System.Globalization;
using Npgsql;
using PaduHub.Database;
using PaduHub.Ingestion;
using PaduHub.Samples;

namespace PaduHub.Benchmarks;

/// <summary>
/// One full extract from CSV to committed rows, timed once, against the embedded PostgreSQL on this machine:
/// the first load (every row new), a second snapshot of the same people (the nightly case: nearly all unchanged),
/// and psql's \copy of the same file into a plain table as the floor nothing can beat.
/// Usage: ingest [--people N] [--file jpn_full.csv]
/// </summary>
static class IngestRun
{
    public static async Task<int> Run(string[] args)
    {
        var people = 1_000_000L;
        string? file = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--people": people = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--file": file = args[i + 1]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        var work = Path.Combine(Path.GetTempPath(), $"paduhub-ingest-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            if (file is null)
            {
                PopulationGenerator.Generate(new GeneratorOptions { People = people, Seed = 1, OutDir = Path.Combine(work, "population") });
                file = Path.Combine(work, "population", "extracts", "jpn_full.csv");
            }
            // The next night's snapshot: the same rows plus one more line, so its checksum differs.
            var nextNight = Path.Combine(work, "jpn_full_next.csv");
            File.Copy(file, nextNight);
            File.AppendAllText(nextNight, "010101141239,,BENCHMARK EXTRA ROW,L,20010101,14,W,NO 1,,50450,KUALA LUMPUR,WP KUALA LUMPUR,BUJANG,,,,\n");
            var rows = File.ReadLines(file).LongCount() - 1;
            var bytes = new FileInfo(file).Length;

            // Parsing and validation alone, no database: how much of a load is ours before PostgreSQL sees a row.
            var parseOnly = Stopwatch.StartNew();
            await using (var stream = File.OpenRead(file))
            {
                var reader = new ExtractReader(AgencyContracts.Load().For("JPN"), delta: false, DateOnly.FromDateTime(DateTime.UtcNow));
                foreach (var _ in reader.Read(stream))
                {
                }
            }
            parseOnly.Stop();

            using var cluster = EmbeddedPostgres.Start(Path.Combine(work, "pg"));
            cluster.EnsureDatabase("bench");
            var connectionString = cluster.ConnectionString("bench");
            await SchemaMigrator.MigrateAsync(connectionString);
            var loader = new ExtractLoader(connectionString, AgencyContracts.Load(), Path.Combine(work, "spool"));
            await loader.RegisterAgenciesAsync();

            Console.WriteLine($"machine: {Machine.Describe()}");
            Console.WriteLine($"file: {rows:N0} rows, {bytes / (1024.0 * 1024):0} MiB (JPN layout, 17 columns)");
            Console.WriteLine("| run | wall | rows/s | current hashes | parse+validate | COPY | analyze | index | merge | peak memory (RSS) |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            await Time(loader, file, "jpn_full.csv", "first load (all new)", rows);
            await Time(loader, nextNight, "jpn_full.csv", "next night (all unchanged)", rows);

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| parse and validate only (CsvHelper, rules, row hash; no database) | {parseOnly.Elapsed.TotalSeconds:0.0} s | {rows / parseOnly.Elapsed.TotalSeconds:N0} | | | | | | | |"));
            var floor = PsqlCopy(cluster, connectionString, file);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| psql \\copy into a plain 17-column text table (the floor) | {floor.TotalSeconds:0.0} s | {rows / floor.TotalSeconds:N0} | | | | | | | |"));
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    static async Task Time(ExtractLoader loader, string path, string name, string label, long rows)
    {
        var pausedBefore = GC.GetTotalPauseDuration();
        var collectionsBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var watch = Stopwatch.StartNew();
        var receipt = await loader.LoadAsync(new ExtractRequest("JPN", path, name, "cli"));
        watch.Stop();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: receipt timings {receipt.Timings}; GC paused {(GC.GetTotalPauseDuration() - pausedBefore).TotalSeconds:0.00} s in {GC.CollectionCount(0) - collectionsBefore.Item1} gen0, {GC.CollectionCount(1) - collectionsBefore.Item2} gen1, {GC.CollectionCount(2) - collectionsBefore.Item3} gen2 collections"));
        using var timings = System.Text.Json.JsonDocument.Parse(receipt.Timings);
        string Ms(string key) => timings.RootElement.TryGetProperty(key, out var v) ? $"{v.GetInt64() / 1000.0:0.0} s" : "";
        Process.GetCurrentProcess().Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {label}: {receipt.Status}, {receipt.Inserted:N0} inserted, {receipt.Updated:N0} updated, {receipt.Unchanged:N0} unchanged | {watch.Elapsed.TotalSeconds:0.0} s | {rows / watch.Elapsed.TotalSeconds:N0} | {Ms("current_hashes_ms")} | {Ms("parse_validate_ms")} | {Ms("copy_ms")} | {Ms("analyze_ms")} | {Ms("index_ms")} | {Ms("merge_ms")} | {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):0} MiB |"));
    }

    static TimeSpan PsqlCopy(EmbeddedPostgres cluster, string connectionString, string file)
    {
        using (var connection = new NpgsqlConnection(connectionString))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"create table copy_floor ({string.Join(", ", Enumerable.Range(1, 17).Select(i => $"c{i} text"))})", connection);
            create.ExecuteNonQuery();
        }
        var watch = Stopwatch.StartNew();
        var psql = Process.Start(new ProcessStartInfo("psql",
            ["-h", "127.0.0.1", "-p", cluster.Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", "bench", "-q", "-c",
             $"\\copy copy_floor from '{file}' with (format csv, header)"])
        { RedirectStandardOutput = true })!;
        psql.WaitForExit();
        watch.Stop();
        if (psql.ExitCode != 0)
        {
            throw new InvalidOperationException("psql \\copy failed");
        }
        return watch.Elapsed;
    }
}
