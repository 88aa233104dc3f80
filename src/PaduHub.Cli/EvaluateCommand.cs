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
/// for FEBRL files, whose record ids carry the entity.
/// </summary>
static class EvaluateCommand
{
    public static Command Create()
    {
        var clusters = new Option<FileInfo>("--clusters") { Description = "CSV with record_id and cluster_id columns (file, if present, is ignored)", Required = true };
        var truth = new Option<string>("--truth") { Description = "Truth CSV, or 'febrl' when the record ids encode the entity", Required = true };
        var idColumn = new Option<string>("--id-column") { Description = "Record id column of the truth CSV", DefaultValueFactory = _ => "record_id" };
        var entityColumn = new Option<string>("--entity-column") { Description = "Entity column of the truth CSV", DefaultValueFactory = _ => "entity_id" };
        var command = new Command("evaluate", "Score a clustering against the truth: pairwise precision, recall and F1") { clusters, truth, idColumn, entityColumn };
        command.SetAction(parse =>
        {
            var predicted = Read(parse.GetValue(clusters)!.FullName, "record_id", "cluster_id");
            var truthText = parse.GetValue(truth)!;
            var entities = truthText == "febrl"
                ? predicted.Keys.ToDictionary(k => k, k => PairwiseEvaluation.FebrlEntity(k) ?? throw new ArgumentException($"'{k}' is not a FEBRL record id"))
                : Read(truthText, parse.GetValue(idColumn)!, parse.GetValue(entityColumn)!);
            var score = PairwiseEvaluation.Score(predicted, entities);
            var table = new Table().AddColumns("records", "true pairs", "predicted pairs", "correct", "precision", "recall", "F1");
            table.AddRow(score.Records.ToString("N0", CultureInfo.InvariantCulture), score.TruePairs.ToString("N0", CultureInfo.InvariantCulture),
                score.PredictedPairs.ToString("N0", CultureInfo.InvariantCulture), score.CorrectPairs.ToString("N0", CultureInfo.InvariantCulture),
                score.Precision.ToString("0.0000", CultureInfo.InvariantCulture), score.Recall.ToString("0.0000", CultureInfo.InvariantCulture),
                score.F1.ToString("0.0000", CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    /// <summary>id column to value column of a CSV (comma-separated, trimmed: FEBRL pads fields with a space).</summary>
    internal static Dictionary<string, string> Read(string path, string idColumn, string valueColumn)
    {
        using var reader = CsvReader.Create(File.OpenRead(path), new CsvReaderOptions
        {
            Separator = ',', HasHeader = true, TrimWhitespace = true, Encoding = new UTF8Encoding(false),
        });
        var headers = reader.Headers.Select(h => h.Trim()).ToList();
        var id = headers.IndexOf(idColumn);
        var value = headers.IndexOf(valueColumn);
        if (id < 0 || value < 0)
        {
            throw new ArgumentException($"{Path.GetFileName(path)} needs the columns {idColumn} and {valueColumn}; it has {string.Join(", ", headers)}");
        }
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            map[reader.GetString(id).Trim()] = reader.GetString(value).Trim();
        }
        return map;
    }
}
