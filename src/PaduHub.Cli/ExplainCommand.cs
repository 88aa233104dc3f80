using System.CommandLine;
using System.Globalization;
using PaduHub.Database;
using PaduHub.GoldenRecords;
using PaduHub.Matching;
using Spectre.Console;

namespace PaduHub.Cli;

/// <summary>padu explain A B: why two source records did or did not match, comparison by comparison, with the current model.</summary>
static class ExplainCommand
{
    public static Command Create()
    {
        var a = new Argument<long>("a") { Description = "A source record id (as the review queue and receipts show them)" };
        var b = new Argument<long>("b") { Description = "The other source record id" };
        var command = new Command("explain", "Why two source records did or did not match: each comparison's level and weight") { a, b };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var database = PaduDatabase.Open();
            await using var connection = database.Connect();
            await connection.OpenAsync(cancellationToken);
            var explained = await PairExplanation.ExplainAsync(connection, parse.GetValue(a), parse.GetValue(b), new MatchSettings(), cancellationToken);
            if (explained is null)
            {
                Console.Error.WriteLine("padu: both must be active source records, and a model this version can use must be trained (run padu match, or padu match --full after an upgrade)");
                return 2;
            }
            var table = new Table().AddColumns("comparison", "level", "weight");
            foreach (var field in explained.Fields)
            {
                table.AddRow(Markup.Escape(field.Field), Markup.Escape(field.LevelName), field.Weight.ToString("+0.00;-0.00", CultureInfo.InvariantCulture));
            }
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "weight {0:+0.00;-0.00} (prior included), probability {1:0.0000}: {2}; {3}",
                explained.Weight, explained.Probability, explained.Verdict,
                explained.SameGoldenPerson ? "one golden person now" : "different golden persons now");
            AnsiConsole.MarkupLine("model check: {0}", Markup.Escape(explained.Model));
            return 0;
        });
        return command;
    }
}
