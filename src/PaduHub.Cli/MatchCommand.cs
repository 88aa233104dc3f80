using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using PaduHub.Database;
using PaduHub.GoldenRecords;
using PaduHub.Ingestion;
using PaduHub.Matching;
using Spectre.Console;

namespace PaduHub.Cli;

/// <summary>
/// padu match [--full]: match what ingestion queued into golden records (the first run, or --full, re-matches
/// everything and retrains the model). padu golden export --out FILE writes agency,source_key,golden_id for evaluate.
/// </summary>
static class MatchCommand
{
    public static Command Match()
    {
        var full = new Option<bool>("--full") { Description = "Re-match every source record and retrain the model" };
        var keepModel = new Option<bool>("--keep-model") { Description = "With --full: re-match with the stored model instead of training a new one" };
        var command = new Command("match", "Match queued source records into golden records (or all of them with --full)") { full, keepModel };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var logging = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true));
            using var database = PaduDatabase.Open(logger: logging.CreateLogger("padu"));
            await database.MigrateAsync(cancellationToken: cancellationToken);
            var matching = new PersonMatching(database.ConnectionString, AgencyContracts.Load(), Path.Combine(PaduDatabase.DefaultHome, "match-index"));
            var report = parse.GetValue(full)
                ? await matching.FullRematchAsync(!parse.GetValue(keepModel), cancellationToken)
                : await matching.MatchQueuedAsync(cancellationToken);
            if (report is null)
            {
                AnsiConsole.MarkupLine("Nothing queued for matching.");
                return 0;
            }
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture,
                "Run {0} ({1}): {2:N0} records, {3:N0} pairs compared; golden records {4:N0} created, {5:N0} changed, {6:N0} retired; {7:N0} pairs for review",
                report.RunId, report.Kind, report.Records, report.PairsCompared, report.GoldenCreated, report.GoldenChanged, report.GoldenRetired, report.Review);
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "seconds: {0}", string.Join(", ", report.Seconds.Select(s => $"{s.Key} {s.Value:0.000}")));
            // Households follow their people: formed again after every run, as the server's matching job does.
            HouseholdsCommand.Print(await new PaduHub.Households.GoldenHouseholds(database.ConnectionString).RebuildAsync(cancellationToken));
            await using var connection = database.Connect();
            await connection.OpenAsync(cancellationToken);
            var stored = await Dapper.SqlMapper.QuerySingleAsync<string>(connection, "select model::text from match_model order by id desc limit 1");
            var model = StoredModel.Parse(stored);
            MatchCsvCommand.PrintModel(model);
            AnsiConsole.MarkupLine("{0}", Markup.Escape(report.Estimate.Describe()));
            return 0;
        });
        return command;
    }

    public static Command Golden()
    {
        var output = new Option<FileInfo>("--out") { Description = "CSV to write: file,record_id,cluster_id (agency, source key, golden id)", Required = true };
        var export = new Command("export", "Write every active source record with its golden id, in the clusters format evaluate reads") { output };
        export.SetAction(async (parse, cancellationToken) =>
        {
            using var database = PaduDatabase.Open();
            await using var connection = database.Connect();
            await connection.OpenAsync(cancellationToken);
            var path = parse.GetValue(output)!.FullName;
            var written = await GoldenExport.WriteClustersAsync(connection, path, cancellationToken);
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "{0:N0} source records written to {1}", written, Markup.Escape(path));
            return 0;
        });
        return new Command("golden", "Golden records") { export };
    }
}
