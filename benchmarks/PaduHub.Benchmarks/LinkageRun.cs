using System.Diagnostics;
using System.Globalization;
using PaduHub.Matching;
using PaduHub.Samples;

namespace PaduHub.Benchmarks;

/// <summary>
/// What <c>padu match-csv</c> makes of Malaysian agency records handed over as one CSV, with its default settings:
/// a generated population's five full extracts as one file (<see cref="SingleFileExport"/>), linked by the same
/// engine match-csv runs, scored pairwise against the truth, with the misses by class and the wrong joins by kind.
/// Usage: linkage [--people N] [--seed S] [--profile default|harder] [--keep DIR] [--trigram THRESHOLD]
/// --keep leaves the population and the CSV (records.csv, schema.json, truth.csv) in DIR for match-csv and evaluate.
/// --trigram also runs the hand-written pg_trgm pipeline (Trigram/pipeline.sql) on the same file, linking pairs that
/// score at least THRESHOLD, and prints its time and accuracy beside the engine's.
/// </summary>
static class LinkageRun
{
    public static int Run(string[] args)
    {
        var people = 20_000L;
        var seed = 11UL;
        var profile = "default";
        string? keep = null;
        double? trigram = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--people": people = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--seed": seed = ulong.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--profile": profile = args[i + 1]; break;
                case "--keep": keep = Path.GetFullPath(args[i + 1]); break;
                case "--trigram": trigram = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        if (profile is not ("default" or "harder"))
        {
            Console.Error.WriteLine("--profile is default or harder");
            return 2;
        }
        var work = keep ?? Path.Combine(Path.GetTempPath(), $"paduhub-linkage-bench-{Environment.ProcessId}");
        try
        {
            var population = Path.Combine(work, "population");
            if (Directory.Exists(population))
            {
                Directory.Delete(population, recursive: true);
            }
            PopulationGenerator.Generate(new GeneratorOptions
            {
                People = people,
                Seed = seed,
                OutDir = population,
                Noise = profile == "harder" ? NoiseSettings.Harder : NoiseSettings.Default,
            });
            var csv = Path.Combine(work, "csv");
            var count = SingleFileExport.Write(population, csv);
            Console.WriteLine(Machine.Describe());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{people:N0} people, seed {seed}, profile {profile}: {count:N0} records in one CSV"));

            var clock = Stopwatch.StartNew();
            var records = CsvLinkage.Read([Path.Combine(csv, "records.csv")], LinkageSchema.Load(Path.Combine(csv, "schema.json")),
                DateOnly.FromDateTime(DateTime.UtcNow));
            var result = Linkage.Run(records, new MatchSettings());
            var seconds = clock.Elapsed.TotalSeconds;

            var predicted = result.Records.ToDictionary(r => r.Key, r => result.ClusterOf[r.Index].ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
            var truth = File.ReadLines(Path.Combine(csv, "truth.csv")).Skip(1).Select(l => l.Split(','))
                .ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
            var score = PairwiseEvaluation.Score(predicted, truth);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"match-csv engine: {seconds:0.0} s, {result.Blocking.PairsCompared:N0} pairs compared, {result.Review.Count:N0} for review, model {result.Model.Sanity.Verdict}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"accuracy against the truth: precision {score.Precision:0.0000}, recall {score.Recall:0.0000}, F1 {score.F1:0.0000}"));
            PrintBreakdown("", population, predicted);
            if (trigram is { } threshold)
            {
                var (clusters, trigramSeconds, linked) = Trigram.TrigramPipeline.Run(Path.Combine(csv, "records.csv"), work, threshold);
                var trigramScore = PairwiseEvaluation.Score(clusters, truth);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"pg_trgm pipeline (threshold {threshold}): {trigramSeconds:0.0} s, {linked:N0} pairs linked; precision {trigramScore.Precision:0.0000}, recall {trigramScore.Recall:0.0000}, F1 {trigramScore.F1:0.0000}; the engine was {trigramSeconds / seconds:0.0}x faster"));
                PrintBreakdown("pg_trgm: ", population, clusters);
            }
            return 0;
        }
        finally
        {
            if (keep is null && Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    /// <summary>True pairs missed by class, and hard negatives joined by kind, of one linkage's clusters.</summary>
    static void PrintBreakdown(string who, string population, IReadOnlyDictionary<string, string> clusters)
    {
        var (pairs, negatives) = ClassBreakdown.Of(population, clusters);
        Console.WriteLine(who + "missed by class of true pair: " + string.Join(", ", pairs.Select(p => string.Create(CultureInfo.InvariantCulture,
            $"{p.Name} {p.Missed:N0}/{p.TruePairs:N0}"))));
        Console.WriteLine(who + "hard negatives joined: " + string.Join(", ", negatives.Select(n => string.Create(CultureInfo.InvariantCulture,
            $"{n.Kind} {n.Joined:N0}/{n.PairsOfPeople:N0}"))));
    }
}
