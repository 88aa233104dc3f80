using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PaduHub.Matching;
using PaduHub.Samples;

namespace PaduHub.Benchmarks;

/// <summary>
/// How match-csv's default settings hold up when the same data comes differently: each record set with truth (FEBRL's
/// two, Splink's fake_1000, RLdata500, and two generated populations) as given, in another row order, split in two
/// files (deduped together, and linked across), with half its people, and without its birth dates, addresses or
/// identifiers. A change to matching that helps one set and hurts the others shows here as a row that fell.
/// Usage: robustness [--people N] [--seed S] [--tsv FILE]
/// --people sizes the generated populations (default 5,000); --seed draws the orders, splits and halves (default 1);
/// --tsv also writes the table tab-separated, for comparing two builds line by line.
/// </summary>
static class RobustnessRun
{
    /// <summary>A record set as lines of text: its header, its rows, its schema's columns, and each row's true entity.</summary>
    sealed record RecordSet(string Name, string Header, string[] Rows, char Delimiter, Dictionary<string, string> Columns, Func<string, string> EntityOf);

    sealed record Variant(string Name, RecordSet Set, string[][] Files, bool Link);

    public static int Run(string[] args)
    {
        var people = 5_000L;
        var seed = 1;
        string? tsv = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--people": people = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--tsv": tsv = Path.GetFullPath(args[i + 1]); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        var work = Path.Combine(Path.GetTempPath(), $"paduhub-robustness-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            Console.WriteLine(Machine.Describe());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated populations of {people:N0} people; orders, splits and halves drawn with seed {seed}"));
            var lines = new List<string> { "set\tvariant\trecords\tprecision\trecall\tf1\tseconds" };
            Console.WriteLine($"{"set",-22} {"variant",-18} {"records",8} {"P",7} {"R",7} {"F1",7} {"seconds",7}");
            foreach (var set in Sets(work, people))
            {
                foreach (var variant in Variants(set, new Random(seed)))
                {
                    var (records, score, seconds) = Link(variant, work);
                    var row = string.Create(CultureInfo.InvariantCulture,
                        $"{set.Name}\t{variant.Name}\t{records}\t{score.Precision:0.0000}\t{score.Recall:0.0000}\t{score.F1:0.0000}\t{seconds:0.0}");
                    lines.Add(row);
                    var f = row.Split('\t');
                    Console.WriteLine($"{f[0],-22} {f[1],-18} {f[2],8} {f[3],7} {f[4],7} {f[5],7} {f[6],7}");
                }
            }
            if (tsv is not null)
            {
                File.WriteAllLines(tsv, lines);
            }
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    static IEnumerable<RecordSet> Sets(string work, long people)
    {
        var datasets = Path.Combine(ApiRun.Repository(), "samples", "datasets");
        var febrl = new Dictionary<string, string>
        {
            ["rec_id"] = "id",
            ["given_name"] = "given_name",
            ["surname"] = "surname",
            ["street_number"] = "address",
            ["address_1"] = "address",
            ["address_2"] = "address",
            ["suburb"] = "city",
            ["postcode"] = "postcode",
            ["state"] = "state",
            ["date_of_birth"] = "date_of_birth",
            ["soc_sec_id"] = "national_id",
        };
        foreach (var file in new[] { "dataset1.csv", "dataset2.csv" })
        {
            var all = File.ReadAllLines(Path.Combine(datasets, "febrl", file));
            yield return new RecordSet($"febrl {file[..^4]}", all[0], all[1..], ',', febrl,
                row => PairwiseEvaluation.FebrlEntity(row[..row.IndexOf(',', StringComparison.Ordinal)])!);
        }
        var fake = File.ReadAllLines(Path.Combine(datasets, "splink", "fake_1000.csv"));
        yield return new RecordSet("splink fake_1000", fake[0], fake[1..], ',',
            new() { ["unique_id"] = "id", ["first_name"] = "given_name", ["surname"] = "surname", ["dob"] = "date_of_birth", ["city"] = "city", ["email"] = "email", ["cluster"] = "ignore" },
            row => row[(row.LastIndexOf(',') + 1)..]);
        // RLdata500 has no id column: each row gets its line number, so a split keeps ids unique.
        var rl = File.ReadAllLines(Path.Combine(datasets, "rldata", "RLdata500.csv"));
        yield return new RecordSet("rldata RLdata500", "rid," + rl[0], [.. rl[1..].Select((r, i) => $"{i + 1},{r}")], ',',
            new()
            {
                ["rid"] = "id",
                ["fname_c1"] = "given_name",
                ["fname_c2"] = "given_name",
                ["lname_c1"] = "surname",
                ["lname_c2"] = "surname",
                ["by"] = "birth_year",
                ["bm"] = "birth_month",
                ["bd"] = "birth_day",
                ["identity"] = "ignore",
            },
            row => row[(row.LastIndexOf(',') + 1)..]);
        foreach (var (profile, noise, seed) in new[] { ("default", NoiseSettings.Default, 3UL), ("harder", NoiseSettings.Harder, 4UL) })
        {
            var population = Path.Combine(work, $"population-{profile}");
            PopulationGenerator.Generate(new GeneratorOptions { People = people, Seed = seed, OutDir = population, Noise = noise });
            var csv = Path.Combine(work, $"csv-{profile}");
            SingleFileExport.Write(population, csv);
            var all = File.ReadAllLines(Path.Combine(csv, "records.csv"));
            var truth = File.ReadLines(Path.Combine(csv, "truth.csv")).Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
            var columns = JsonSerializer.Deserialize<LinkageSchema>(SingleFileExport.Schema, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!.Columns;
            yield return new RecordSet($"generated {profile}", all[0], all[1..], ',', columns, row => truth[row[..row.IndexOf(',', StringComparison.Ordinal)]]);
        }
    }

    static IEnumerable<Variant> Variants(RecordSet set, Random random)
    {
        yield return new("as given", set, [set.Rows], false);
        yield return new("rows shuffled", set, [Shuffled(set.Rows, random)], false);
        var inFirst = set.Rows.Select(_ => random.Next(2) == 0).ToArray();
        string[][] halves = [[.. set.Rows.Where((_, i) => inFirst[i])], [.. set.Rows.Where((_, i) => !inFirst[i])]];
        yield return new("split, deduped", set, halves, false);
        yield return new("split, linked", set, halves, true);
        var kept = set.Rows.Select(set.EntityOf).Distinct().Where(_ => random.Next(2) == 0).ToHashSet(StringComparer.Ordinal);
        yield return new("half the people", set, [[.. set.Rows.Where(r => kept.Contains(set.EntityOf(r)))]], false);
        foreach (var (name, roles) in new[]
        {
            ("no birth date", new[] { "date_of_birth", "birth_year", "birth_month", "birth_day" }),
            ("no address", new[] { "address", "postcode", "city", "state" }),
            ("no identifier", new[] { "national_id", "mykad", "old_ic" }),
        })
        {
            if (set.Columns.Values.Any(roles.Contains))
            {
                var columns = set.Columns.ToDictionary(c => c.Key, c => roles.Contains(c.Value) ? "ignore" : c.Value);
                yield return new(name, set with { Columns = columns }, [set.Rows], false);
            }
        }
    }

    static string[] Shuffled(string[] rows, Random random)
    {
        var copy = rows.ToArray();
        random.Shuffle(copy);
        return copy;
    }

    /// <summary>One match-csv run in process (read, link) and its pairwise score; a link counts only pairs across its files.</summary>
    static (int Records, PairwiseScore Score, double Seconds) Link(Variant variant, string work)
    {
        var set = variant.Set;
        var schema = Path.Combine(work, "schema.json");
        File.WriteAllText(schema, JsonSerializer.Serialize(new { delimiter = set.Delimiter.ToString(), columns = set.Columns }));
        var files = variant.Files.Select((rows, i) =>
        {
            var path = Path.Combine(work, $"part{i + 1}.csv");
            File.WriteAllLines(path, [set.Header, .. rows], new UTF8Encoding(false));
            return path;
        }).ToList();
        var clock = Stopwatch.StartNew();
        var records = CsvLinkage.Read(files, LinkageSchema.Load(schema), new DateOnly(2026, 1, 1));
        var result = Linkage.Run(records, new MatchSettings { AcrossSourcesOnly = variant.Link });
        var seconds = clock.Elapsed.TotalSeconds;
        var predicted = result.Records.ToDictionary(r => r.Key, r => result.ClusterOf[r.Index].ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var truth = variant.Files.SelectMany(rows => rows).ToDictionary(r => IdOf(set, r), set.EntityOf, StringComparer.Ordinal);
        var score = variant.Link
            ? PairwiseEvaluation.ScoreAcross(predicted, truth, result.Records.ToDictionary(r => r.Key, r => r.Source, StringComparer.Ordinal))
            : PairwiseEvaluation.Score(predicted, truth);
        return (records.Count, score, seconds);
    }

    /// <summary>Every set here keeps its id in its first column, unquoted.</summary>
    static string IdOf(RecordSet set, string row) => row[..row.IndexOf(set.Delimiter, StringComparison.Ordinal)].Trim();
}
