using System.CommandLine;
using System.Globalization;
using System.Text;
using CsvHelper;
using PaduHub.Matching;
using Spectre.Console;

namespace PaduHub.Cli;

/// <summary>
/// padu evaluate --clusters clusters.csv --truth TRUTH: pairwise precision, recall and F1 of a clustering.
/// The truth is a CSV with a record id column and an entity column (--id-column, --entity-column), or "febrl"
/// for FEBRL files, whose record ids carry the entity. When the clusters come from several files (a link), only pairs
/// across the files count; --all-pairs counts pairs inside each file too. Against a generated population
/// (population:FOLDER) it also breaks the misses and the wrong joins down by class (<see cref="ClassBreakdownTables"/>).
/// </summary>
static class EvaluateCommand
{
    public static Command Create()
    {
        var clusters = new Option<FileInfo>("--clusters") { Description = "CSV with record_id and cluster_id columns, and file for a link of files", Required = true };
        var allPairs = new Option<bool>("--all-pairs") { Description = "In a link of files, count pairs inside each file too" };
        var truth = new Option<string>("--truth") { Description = "Truth CSV, or 'febrl' when the record ids encode the entity", Required = true };
        var idColumn = new Option<string>("--id-column") { Description = "Record id column of the truth CSV", DefaultValueFactory = _ => "record_id" };
        var entityColumn = new Option<string>("--entity-column") { Description = "Entity column of the truth CSV", DefaultValueFactory = _ => "entity_id" };
        var classColumns = new Option<string>("--class-columns")
        {
            Description = "Truth CSV columns naming each record's classes (';' between several; 'valid', 'clean' and empty mean none): the misses are broken down by them",
            DefaultValueFactory = _ => "noise,id_status,classes",
        };
        var command = new Command("evaluate", "Score a clustering against the truth: pairwise precision, recall and F1")
        {
            clusters, truth, idColumn, entityColumn, allPairs, classColumns,
        };
        command.SetAction(parse =>
        {
            var predicted = Read(parse.GetValue(clusters)!.FullName, "record_id", "cluster_id");
            var truthText = parse.GetValue(truth)!;
            var entities = truthText == "febrl"
                ? predicted.Keys.ToDictionary(k => k, k => PairwiseEvaluation.FebrlEntity(k) ?? throw new ArgumentException($"'{k}' is not a FEBRL record id"))
                : truthText.StartsWith("population:", StringComparison.Ordinal)
                    ? PaduHub.Samples.SourceRecordTruth.PersonOfRecord(truthText["population:".Length..])
                    : Read(truthText, parse.GetValue(idColumn)!, parse.GetValue(entityColumn)!);
            var sources = ReadSources(parse.GetValue(clusters)!.FullName);
            var link = sources is not null && sources.Values.Distinct(StringComparer.Ordinal).Skip(1).Any() && !parse.GetValue(allPairs);
            var score = link ? PairwiseEvaluation.ScoreAcross(predicted, entities, sources!) : PairwiseEvaluation.Score(predicted, entities);
            if (link)
            {
                AnsiConsole.MarkupLine("a link of files: only pairs across them count (--all-pairs for every pair)");
            }
            var table = new Table().AddColumns("records", "true pairs", "predicted pairs", "correct", "precision", "recall", "F1", "pairs compared", "blocking recall");
            // match-csv leaves the pairs blocking compared beside the clusters; without them the last two columns stay empty.
            var pairsFile = Path.ChangeExtension(parse.GetValue(clusters)!.FullName, ".pairs.csv");
            var onlyAName = new HashSet<(string, string)>();
            var (compared, blockingRecall) = File.Exists(pairsFile) ? Blocking(pairsFile, entities, score.TruePairs, link ? sources : null, onlyAName) : (null, null);
            table.AddRow(score.Records.ToString("N0", CultureInfo.InvariantCulture), score.TruePairs.ToString("N0", CultureInfo.InvariantCulture),
                score.PredictedPairs.ToString("N0", CultureInfo.InvariantCulture), score.CorrectPairs.ToString("N0", CultureInfo.InvariantCulture),
                score.Precision.ToString("0.0000", CultureInfo.InvariantCulture), score.Recall.ToString("0.0000", CultureInfo.InvariantCulture),
                score.F1.ToString("0.0000", CultureInfo.InvariantCulture), compared ?? "", blockingRecall ?? "");
            AnsiConsole.Write(table);
            // The same figures on one line, for scripts and benchmarks to read.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"precision={score.Precision:0.0000} recall={score.Recall:0.0000} f1={score.F1:0.0000} pairs_compared={compared?.Replace(",", "", StringComparison.Ordinal) ?? "-"} blocking_recall={blockingRecall ?? "-"}"));
            if (truthText.StartsWith("population:", StringComparison.Ordinal))
            {
                ClassBreakdownTables.Print(truthText["population:".Length..], predicted);
            }
            else if (truthText != "febrl" && TruthClasses(truthText, parse.GetValue(idColumn)!, parse.GetValue(classColumns)!) is { } classesOf)
            {
                // With the pairs file, the misses whose records agree on nothing but a name are told apart from the rest.
                var known = compared is not null;
                var byClass = new Table().AddColumns("class", "true pairs", "missed", "share missed");
                if (known)
                {
                    byClass.AddColumns("missed, sharing only a name", "share missed otherwise");
                }
                byClass.AddColumns("wrongly joined", "F1");
                var byClassCounts = MissesByClass.Of(predicted, entities, classesOf, known ? (a, b) => onlyAName.Contains((a, b)) || onlyAName.Contains((b, a)) : null,
                    link ? (a, b) => sources![a] != sources[b] : null);
                foreach (var c in byClassCounts)
                {
                    List<string> row = [Markup.Escape(c.Class), N(c.TruePairs), N(c.Missed), c.MissedShare.ToString("0.000", CultureInfo.InvariantCulture)];
                    if (known)
                    {
                        row.AddRange([N(c.MissedSharingOnlyAName), c.MissedOtherwiseShare.ToString("0.000", CultureInfo.InvariantCulture)]);
                    }
                    byClass.AddRow([.. row, N(c.WronglyJoined), c.F1.ToString("0.0000", CultureInfo.InvariantCulture)]);
                }
                AnsiConsole.Write(byClass);
            }
            return 0;
        });
        return command;
    }

    static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>
    /// How many pairs blocking handed to scoring, and the share of true pairs among them; with each pass's share when the
    /// pairs file says which passes found each pair. Scoring a link, only the pairs across the files count, as in
    /// its true pairs (`--dedupe-within` compares pairs inside each file too). The true pairs whose records agree on
    /// nothing but a name go into <paramref name="onlyAName"/>; a pair blocking never compared is not known to.
    /// </summary>
    static (string, string) Blocking(string pairsFile, Dictionary<string, string> entities, long truePairs, Dictionary<string, string>? acrossSources,
        HashSet<(string, string)> onlyAName)
    {
        long compared = 0, found = 0;
        var byBit = new long[16];
        var aloneByBit = new long[16];
        using var reader = CsvReader.Create(File.OpenRead(pairsFile), new CsvReaderOptions { Separator = ',', HasHeader = true, Encoding = new UTF8Encoding(false) });
        var headers = reader.Headers.ToList();
        var passesColumn = headers.IndexOf("passes");
        var withPasses = passesColumn >= 0;
        // Levels follow the weight: -1 where a side has no value, 0 where they differ, more as they agree.
        var weightColumn = headers.IndexOf("weight");
        int[]? levelColumns = weightColumn < 0 ? null
            : [.. headers.Select((name, index) => (name, index)).Skip(weightColumn + 1).Where(c => !MissesByClass.IsNameOrSex(c.name)).Select(c => c.index)];
        while (reader.Read())
        {
            var mask = 0;
            if (withPasses)
            {
                foreach (var bit in reader.GetString(passesColumn).Split('+', StringSplitOptions.RemoveEmptyEntries))
                {
                    mask |= 1 << int.Parse(bit, CultureInfo.InvariantCulture);
                }
            }
            if (acrossSources is not null && acrossSources.GetValueOrDefault(reader.GetString(0)) == acrossSources.GetValueOrDefault(reader.GetString(1)))
            {
                continue;
            }
            compared++;
            if (entities.TryGetValue(reader.GetString(0), out var a) && entities.TryGetValue(reader.GetString(1), out var b) && a == b)
            {
                found++;
                if (levelColumns is not null && reader.FieldCount == headers.Count && levelColumns.All(c => reader.GetString(c) is "-1" or "0"))
                {
                    onlyAName.Add((reader.GetString(0), reader.GetString(1)));
                }
                for (var bit = 0; bit < 16; bit++)
                {
                    if ((mask & (1 << bit)) != 0)
                    {
                        byBit[bit]++;
                        aloneByBit[bit] += mask == 1 << bit ? 1 : 0;
                    }
                }
            }
        }
        if (withPasses && truePairs > 0)
        {
            var passes = new Table().AddColumns("blocking pass", "true pairs found", "share of true pairs", "found by it alone");
            for (var bit = 0; bit < BlockingPasses.BitNames.Length; bit++)
            {
                passes.AddRow(BlockingPasses.BitNames[bit], byBit[bit].ToString("N0", CultureInfo.InvariantCulture),
                    ((double)byBit[bit] / truePairs).ToString("0.0000", CultureInfo.InvariantCulture), aloneByBit[bit].ToString("N0", CultureInfo.InvariantCulture));
            }
            AnsiConsole.Write(passes);
        }
        return (compared.ToString("N0", CultureInfo.InvariantCulture),
            (truePairs == 0 ? 1 : (double)found / truePairs).ToString("0.0000", CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Each record's classes from the truth CSV's class columns that it has (the first comma-separated names that are
    /// headers), or null when it has none of them.
    /// </summary>
    static Dictionary<string, string[]>? TruthClasses(string path, string idColumn, string classColumns)
    {
        using var reader = CsvReader.Create(File.OpenRead(path), new CsvReaderOptions { Separator = ',', HasHeader = true, TrimWhitespace = true, Encoding = new UTF8Encoding(false) });
        var headers = reader.Headers.Select(h => h.Trim()).ToList();
        var columns = classColumns.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => (Name: c, Index: headers.IndexOf(c)))
            .Where(c => c.Index >= 0).ToList();
        var id = idColumn == "_row" ? -2 : headers.IndexOf(idColumn);
        if (columns.Count == 0 || id == -1)
        {
            return null;
        }
        var map = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var row = 0;
        while (reader.Read())
        {
            row++;
            var classes = columns.SelectMany(c => reader.GetString(c.Index).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Where(v => v is not ("valid" or "clean" or "none")).Select(v => c.Name == "id_status" ? "ic_" + v : v))
                .Distinct(StringComparer.Ordinal).ToArray();
            map[id == -2 ? row.ToString(CultureInfo.InvariantCulture) : reader.GetString(id).Trim()] = classes;
        }
        return map;
    }

    /// <summary>record_id to file of a clusters CSV, or null when it has no file column.</summary>
    static Dictionary<string, string>? ReadSources(string path)
    {
        var header = File.ReadLines(path).FirstOrDefault()?.Split(',').Select(h => h.Trim()).ToList();
        return header is not null && header.Contains("file") ? Read(path, "record_id", "file") : null;
    }

    /// <summary>id column to value column of a CSV (comma-separated, trimmed: FEBRL pads fields with a space).</summary>
    internal static Dictionary<string, string> Read(string path, string idColumn, string valueColumn)
    {
        using var reader = CsvReader.Create(File.OpenRead(path), new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            TrimWhitespace = true,
            Encoding = new UTF8Encoding(false),
        });
        var headers = reader.Headers.Select(h => h.Trim()).ToList();
        // "_row": the file has no id column; a record is known by its data row number, as match-csv names it.
        var id = idColumn == "_row" ? -2 : headers.IndexOf(idColumn);
        var value = headers.IndexOf(valueColumn);
        if (id == -1 || value < 0)
        {
            throw new ArgumentException($"{Path.GetFileName(path)} needs the columns {idColumn} and {valueColumn}; it has {string.Join(", ", headers)}");
        }
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var row = 0;
        while (reader.Read())
        {
            row++;
            map[id == -2 ? row.ToString(CultureInfo.InvariantCulture) : reader.GetString(id).Trim()] = reader.GetString(value).Trim();
        }
        return map;
    }
}
