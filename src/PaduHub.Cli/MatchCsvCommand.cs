using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using PaduHub.Matching;
using Spectre.Console;

namespace PaduHub.Cli;

/// <summary>
/// padu match-csv --input FILE [--input FILE2 ...] --schema SCHEMA.json --out clusters.csv: dedupe one file, or link
/// two or more (each agency's extract in a file of its own) with the hub's matching engine. Writes
/// file,record_id,cluster_id for every row, and beside it the candidate pairs (clusters.pairs.csv) so evaluate can
/// report blocking recall, and the model with its check and its own estimate of the run (clusters.model.json).
/// </summary>
static class MatchCsvCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo[]>("--input") { Description = "CSV file to match (once to dedupe; two or more times to link the files)", Required = true, AllowMultipleArgumentsPerToken = false };
        var schema = new Option<FileInfo>("--schema") { Description = "JSON mapping columns to roles (see samples/schemas)", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Where to write file,record_id,cluster_id", Required = true };
        var dedupeWithin = new Option<bool>("--dedupe-within") { Description = "Linking files: also find duplicates inside each file" };
        var oneToOne = new Option<bool>("--one-to-one") { Description = "Linking files without duplicates of their own: each record matches at most one in each other file, strongest first" };
        var command = new Command("match-csv", "Dedupe one CSV or link several: file,record_id,cluster_id for every row") { input, schema, output, dedupeWithin, oneToOne };
        command.SetAction(parse =>
        {
            var files = parse.GetValue(input)!;
            if (files.Length == 0)
            {
                throw new ArgumentException("match-csv takes one --input to dedupe, or two or more to link");
            }
            if (files.Select(f => f.Name).GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                // The output names each record by its file's name: two files of one name would mix their records.
                throw new ArgumentException($"two inputs are named {twice.Key}; each file must have a name of its own");
            }
            foreach (var f in files)
            {
                if (!f.Exists)
                {
                    throw new FileNotFoundException($"{f.FullName} does not exist");
                }
            }
            var watch = Stopwatch.StartNew();
            var paths = files.Select(f => f.FullName).ToList();
            var linkageSchema = LinkageSchema.Load(parse.GetValue(schema)!.FullName);
            if (CsvLinkage.SchemaColumnsInNoFile(paths, linkageSchema) is { Count: > 0 } missing)
            {
                AnsiConsole.MarkupLine("[yellow]{0}[/]", Markup.Escape($"the schema's columns {string.Join(", ", missing)} are in no file's header: matched without them"));
            }
            var records = CsvLinkage.Read(paths, linkageSchema, DateOnly.FromDateTime(DateTime.UtcNow));
            // Several files are a link: only pairs across them are compared, unless the files hold duplicates of their own.
            var link = files.Length >= 2 && !parse.GetValue(dedupeWithin);
            if (parse.GetValue(oneToOne) && !link)
            {
                throw new ArgumentException("--one-to-one is for a link of files without --dedupe-within");
            }
            var reading = watch.Elapsed.TotalSeconds;
            var settings = new MatchSettings { AcrossSourcesOnly = link, OneToOne = parse.GetValue(oneToOne) };
            var outPath = parse.GetValue(output)!.FullName;
            var pairsSeconds = 0.0;
            var result = Linkage.Run(records, settings, besideScoring: compared =>
            {
                var pairsWatch = Stopwatch.StartNew();
                CsvLinkage.WritePairs(Path.ChangeExtension(outPath, ".pairs.csv"), compared);
                pairsSeconds = pairsWatch.Elapsed.TotalSeconds;
                CompileTheTable(compared.Model);
            });
            watch.Restart();
            CsvLinkage.WriteClusters(outPath, result);
            CsvLinkage.WriteModel(Path.ChangeExtension(outPath, ".model.json"), result);
            var writing = watch.Elapsed.TotalSeconds;

            var clusters = result.ClusterOf.Distinct().Count();
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "[bold]{0:N0}[/] records into [bold]{1:N0}[/] clusters; {2:N0} pairs compared, {3:N0} for review",
                records.Count, clusters, result.Blocking.PairsCompared, result.Review.Count);
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "seconds: reading {0:0.000}, {1}, writing {2:0.000}; the pairs file {3:0.000} beside scoring and clustering",
                reading, string.Join(", ", result.Seconds.Select(s => $"{s.Key} {s.Value:0.000}")), writing, pairsSeconds);
            if (result.Blocking.ByPass is { } byPass)
            {
                AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "pairs by blocking pass (a pair found by several counts in each): {0}",
                    Markup.Escape(string.Join(", ", byPass.Select(p => $"{p.Key} {p.Value:N0}"))));
            }
            if (result.Blocking.LeftOut(settings) is { } leftOut)
            {
                AnsiConsole.MarkupLine("[yellow]{0}[/]", Markup.Escape(leftOut));
            }
            PrintModel(result.Model);
            AnsiConsole.MarkupLine("{0}", Markup.Escape(result.Estimate.Describe()));
            return 0;
        });
        return command;
    }

    /// <summary>The name-and-phone bits in words: by the name's depth, and where measured so, at different homes and at one.</summary>
    static string NameAndPhoneWords(double[] bits)
    {
        string Depths(IEnumerable<double> depths) => string.Join(" / +", depths.Select(b => b.ToString("0.00", CultureInfo.InvariantCulture)));
        const int depths = MatchModel.LooserNameDepths + 1;
        return bits.Length == 0 ? "0.00"
            : bits.Length > depths ? $"{Depths(bits.Take(depths))} at different homes, +{Depths(bits.Skip(depths))} at one"
            : Depths(bits);
    }

    /// <summary>The trained model: m, u and weight per level, then lambda.</summary>
    public static void PrintModel(MatchModel model)
    {
        AnsiConsole.Write(ModelTable(model));
        AnsiConsole.MarkupLine(CultureInfo.InvariantCulture,
            "lambda {0:0.0000} after {1} EM iterations; name and birth date both exact: +{2:0.00} bits, birth date exact and name looser: +{3}; every location differing (a move): +{4:0.00} bits, address parts differing together: {6} patterns, up to +{7:0.00}; phone exact with the name exact, spelled differently, a part more or less: +{5}; the same home with such names: +{8}",
            model.Lambda, model.EmIterations, model.NameAndBirthBits,
            model.LooserNameAndBirthBits.Length == 0 ? "0.00"
                : string.Join(" / +", model.LooserNameAndBirthBits.Select(b => b.ToString("0.00", CultureInfo.InvariantCulture))), model.MovedBits,
            NameAndPhoneWords(model.NameAndPhoneBits),
            model.AddressMoveBits.Count, model.AddressMoveBits.Count == 0 ? 0 : model.AddressMoveBits.Values.Max(),
            model.NameAndHomeBits.Length == 0 ? "0.00" : string.Join(" / +", model.NameAndHomeBits.Select(b => b.ToString("0.00", CultureInfo.InvariantCulture))));
        if (model.CandidateShareOfStrangers > 0)
        {
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "strangers made candidates by blocking: 1 in {0:N0} pairs of two people; fields agreeing together weigh at least what that share says",
                1 / model.CandidateShareOfStrangers);
        }
        if (model.HomesShared)
        {
            AnsiConsole.MarkupLine("homes are shared by families here: where identifier and birth date both differ, locations count only against");
        }
        if (model.HomesOwn)
        {
            AnsiConsole.MarkupLine("records share an address only with their own here: whole names apart keep what their locations say");
        }
        if (model.Sanity.FellBack)
        {
            AnsiConsole.MarkupLine("[yellow]model check: {0}[/]", Markup.Escape(model.Sanity.Verdict));
            foreach (var reason in model.Sanity.Reasons)
            {
                AnsiConsole.MarkupLine("[yellow]  the fit failed: {0}[/]", Markup.Escape(reason));
            }
        }
        else
        {
            AnsiConsole.MarkupLine("model check: sound");
        }
        foreach (var note in model.Sanity.Notes ?? [])
        {
            AnsiConsole.MarkupLine("  note: {0}", Markup.Escape(note));
        }
    }

    static Table ModelTable(MatchModel model)
    {
        var table = new Table().AddColumns("comparison", "level", "m", "u", "weight");
        foreach (var p in model.Parameters)
        {
            for (var l = p.Levels.Length - 1; l >= 0; l--)
            {
                table.AddRow(l == p.Levels.Length - 1 ? p.Name : "", Markup.Escape(p.Levels[l]), p.M[l].ToString("0.0000", CultureInfo.InvariantCulture),
                    p.U[l].ToString("0.000000", CultureInfo.InvariantCulture), Math.Log2(p.M[l] / p.U[l]).ToString("0.00", CultureInfo.InvariantCulture));
            }
        }
        return table;
    }

    /// <summary>
    /// Renders the model's table and a line of markup where nobody sees them: the first table a process renders is mostly Spectre being compiled,
    /// and beside scoring that happens on the other core, not after the run.
    /// </summary>
    static void CompileTheTable(MatchModel model)
    {
        var nowhere = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
        nowhere.Write(ModelTable(model));
        nowhere.MarkupLine(CultureInfo.InvariantCulture, "[bold]{0:N0}[/] [yellow]{1}[/]", model.Comparisons.Length, Markup.Escape(model.Sanity.Verdict));
    }
}
