using System.CommandLine;
using System.Diagnostics;
using PaduHub.Samples;
using Spectre.Console;

namespace PaduHub.Cli;

/// <summary>padu generate: a synthetic population, its agency extracts and deltas, and the ground truth.</summary>
static class GenerateCommand
{
    public static Command Create()
    {
        var people = new Option<long>("--people") { Description = "How many people (the last household is completed)", DefaultValueFactory = _ => 2_000 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed; the same seed gives byte-identical output", DefaultValueFactory = _ => 1 };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Folder to write extracts/, deltas/ and truth/ into", Required = true };
        var days = new Option<int>("--days") { Description = "Daily delta extracts per agency after the snapshot", DefaultValueFactory = _ => 0 };
        var profile = new Option<string>("--profile")
        {
            Description = "default, or harder: more missing and mistyped ICs, old ICs in the IC column, movers, shared phones, twins with serials in sequence",
            DefaultValueFactory = _ => "default",
        };
        profile.AcceptOnlyFromAmong("default", "harder");
        var noise = new Option<string[]>("--noise")
        {
            Description = $"Override a noise rate, e.g. --noise name_variant=0.1 (repeatable). Known: {string.Join(", ", NoiseSettings.Names)}",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("generate", "Generate a synthetic Malaysian population with agency extracts and ground truth")
        {
            people, seed, outDir, days, profile, noise,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(people) <= 0)
            {
                result.AddError("--people must be at least 1");
            }
            if (result.GetValue(days) is < 0 or > 366)
            {
                result.AddError("--days must be between 0 and 366");
            }
        });
        command.SetAction(parse =>
        {
            NoiseSettings settings;
            try
            {
                settings = (parse.GetValue(profile) == "harder" ? NoiseSettings.Harder : NoiseSettings.Default).With(parse.GetValue(noise) ?? []);
            }
            catch (ArgumentException e)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
                return 2;
            }
            var options = new GeneratorOptions
            {
                People = parse.GetValue(people),
                Seed = parse.GetValue(seed),
                OutDir = parse.GetValue(outDir)!.FullName,
                Days = parse.GetValue(days),
                Noise = settings,
            };
            var watch = Stopwatch.StartNew();
            var summary = PopulationGenerator.Generate(options, new Progress<long>(n =>
            {
                if (!Console.IsOutputRedirected)
                {
                    Console.Write($"\r{n:N0} people");
                }
            }));
            watch.Stop();
            if (!Console.IsOutputRedirected)
            {
                Console.WriteLine();
            }
            Print(summary, options, watch.Elapsed);
            return 0;
        });
        return command;
    }

    static void Print(GenerationSummary summary, GeneratorOptions options, TimeSpan elapsed)
    {
        AnsiConsole.MarkupLineInterpolated(
            $"[green]{summary.People:N0}[/] people in [green]{summary.Households:N0}[/] households ({summary.Deceased:N0} deceased) written to {options.OutDir} in {elapsed.TotalSeconds:0.0} s");
        var groups = summary.IncomeGroups;
        var living = Math.Max(1, groups.Values.Sum());
        AnsiConsole.MarkupLineInterpolated(
            $"income groups: B40 {100.0 * groups["B40"] / living:0.0}%, M40 {100.0 * groups["M40"] / living:0.0}%, T20 {100.0 * groups["T20"] / living:0.0}%");
        AnsiConsole.MarkupLineInterpolated(
            $"hard negatives: {summary.HardNegatives.Values.Sum():N0} pairs ({string.Join(", ", summary.HardNegatives.Select(h => $"{h.Key} {h.Value:N0}"))})");
        var files = new Table().AddColumn("file").AddColumn(new TableColumn("rows").RightAligned());
        foreach (var (file, rows) in summary.RowsPerFile.Where(f => f.Key.StartsWith("extracts/", StringComparison.Ordinal)))
        {
            files.AddRow(file, rows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        }
        var deltaRows = summary.RowsPerFile.Where(f => f.Key.StartsWith("deltas/", StringComparison.Ordinal)).Sum(f => f.Value);
        if (options.Days > 0)
        {
            files.AddRow($"deltas/ ({options.Days} days x {summary.RowsPerFile.Count(f => f.Key.StartsWith("deltas/", StringComparison.Ordinal)) / options.Days} agencies)",
                deltaRows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(files);
        AnsiConsole.MarkupLine("truth: truth/people.csv, truth/households.csv, truth/source_records.csv, truth/hard_negatives.csv, truth/summary.json");
    }
}
