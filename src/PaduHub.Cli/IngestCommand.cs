using System.CommandLine;
using Microsoft.Extensions.Logging;
using PaduHub.Database;
using PaduHub.Ingestion;
using Spectre.Console;

namespace PaduHub.Cli;

/// <summary>padu ingest FILE... --agency CODE: load extracts and print their receipts. padu receipt ID: show one again.</summary>
static class IngestCommand
{
    public static Command Ingest()
    {
        var files = new Argument<FileInfo[]>("file") { Description = "Extract files, loaded in the order given", Arity = ArgumentArity.OneOrMore };
        var agency = new Option<string>("--agency") { Description = "Agency code (JPN, LHDN, KWSP, JKM, TNB, or any with a contract)", Required = true };
        var kind = new Option<string?>("--kind") { Description = "full or delta (default: from the file name, by the agency's contract)" };
        var sequence = new Option<int?>("--sequence") { Description = "Delta sequence number (default: from the file name)" };
        var asOf = new Option<DateOnly?>("--as-of") { Description = "The date the agency says the data describes, yyyy-mm-dd (kept apart from the load time)" };
        var command = new Command("ingest", "Load agency extracts into the hub and print a receipt for each") { files, agency, kind, sequence, asOf };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var logging = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
            using var database = PaduDatabase.Open(logger: logging.CreateLogger("padu"));
            await database.MigrateAsync(cancellationToken: cancellationToken);
            ExtractLoader loader;
            try
            {
                loader = new ExtractLoader(database.ConnectionString, AgencyContracts.Load(), Path.Combine(PaduDatabase.DefaultHome, "spool"),
                    logging.CreateLogger("padu"));
                loader.Contracts.For(parse.GetValue(agency)!);
            }
            catch (Exception e) when (e is ContractException or UnknownAgencyException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
                return 2;
            }
            await loader.RegisterAgenciesAsync(cancellationToken);
            var failures = 0;
            foreach (var file in parse.GetValue(files)!)
            {
                var request = new ExtractRequest(parse.GetValue(agency)!, file.FullName, file.Name, "cli")
                {
                    Kind = parse.GetValue(kind),
                    Sequence = parse.GetValue(sequence),
                    AsOf = parse.GetValue(asOf),
                };
                try
                {
                    var receipt = await AnsiConsole.Progress().AutoClear(true).StartAsync(async progress =>
                    {
                        var task = progress.AddTask(file.Name, maxValue: Math.Max(1, file.Exists ? file.Length : 1));
                        return await loader.LoadAsync(request, new Progress<long>(bytes => task.Value = Math.Min(bytes, task.MaxValue)), cancellationToken);
                    });
                    await using var connection = database.Connect();
                    Print(receipt, await ExtractReceipt.RejectedRowsAsync(connection, receipt.Id, 20, cancellationToken));
                    failures += receipt.Status == ExtractStatus.Rejected ? 1 : 0;
                }
                catch (ExtractRequestException e)
                {
                    AnsiConsole.MarkupLineInterpolated($"[red]{file.Name}: {e.Message}[/]");
                    failures++;
                }
            }
            await using (var connection = database.Connect())
            {
                var queued = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "select count(*) from match_queue");
                if (queued > 0)
                {
                    // With a configured server the hub may run elsewhere: say both.
                    AnsiConsole.WriteLine(database.Embedded is null
                        ? $"{queued:N0} source records wait for matching: a hub on this database matches them; without one, run padu match"
                        : HubLock.IsHeld(PaduDatabase.DefaultHome)
                            ? $"{queued:N0} source records wait for matching: the running hub matches them now"
                            : $"{queued:N0} source records wait for matching: no hub is running on {PaduDatabase.DefaultHome}; run padu match, or start the hub");
                }
            }
            return failures == 0 ? 0 : 1;
        });
        return command;
    }

    public static Command Receipt()
    {
        var id = new Argument<long>("id") { Description = "Extract (receipt) number" };
        var command = new Command("receipt", "Show the receipt of an extract, with its first rejected rows") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var database = PaduDatabase.Open();
            await using var connection = database.Connect();
            var receipt = await ExtractReceipt.FindAsync(connection, parse.GetValue(id), cancellationToken);
            if (receipt is null)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]no extract {parse.GetValue(id)}[/]");
                return 1;
            }
            Print(receipt, await ExtractReceipt.RejectedRowsAsync(connection, receipt.Id, 100, cancellationToken));
            return 0;
        });
        return command;
    }

    /// <summary>A receipt's timings as a person reads them: "read and checked N ms, copied N ms, ...; N ms in all".</summary>
    internal static string TimingsInWords(string? timingsJson)
    {
        if (string.IsNullOrWhiteSpace(timingsJson))
        {
            return "no timings";
        }
        var timings = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, long>>(timingsJson) ?? [];
        static string Words(string key) => key.EndsWith("_ms", StringComparison.Ordinal) ? key[..^3] : key;
        string[] order = ["parse_validate_ms", "copy_ms", "index_ms", "merge_ms"];
        var parts = timings.Where(t => t.Key != "total_ms").OrderBy(t => Array.IndexOf(order, t.Key) is var i and >= 0 ? i : order.Length)
            .ThenBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{Words(t.Key) switch
            {
                "parse_validate" => "read and checked",
                "copy" => "copied",
                "index" => "indexed",
                "merge" => "merged",
                var other => other.Replace('_', ' '),
            }} {t.Value:N0} ms");
        return string.Join(", ", parts) + (timings.TryGetValue("total_ms", out var total) ? $"; {total:N0} ms in all" : "");
    }

    static void Print(ExtractReceipt r, IReadOnlyList<RejectedRow> rejected)
    {
        var colour = r.Status switch { ExtractStatus.Loaded => "green", ExtractStatus.Rejected => "red", _ => "yellow" };
        AnsiConsole.MarkupLineInterpolated(
            $"[bold]receipt {r.Id}[/] {r.AgencyCode} {r.Kind}{(r.Sequence is { } s ? $" #{s}" : "")} {r.FileName}: [{colour}]{r.Status}[/]{(r.Duplicate ? " (sent before: first receipt, nothing changed)" : "")}");
        if (r.Reason is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"  reason: {r.Reason}");
        }
        if (r.Status == ExtractStatus.Loaded)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"  read {r.RowsRead:N0}, inserted {r.Inserted:N0}, updated {r.Updated:N0}, unchanged {r.Unchanged:N0}, withdrawn {r.Withdrawn:N0}, deleted {r.Deleted:N0}, rejected {r.Rejected:N0}");
            AnsiConsole.MarkupLineInterpolated($"  took {TimingsInWords(r.Timings)}");
        }
        AnsiConsole.MarkupLineInterpolated($"  sha256 {r.Checksum}, {r.SizeBytes:N0} bytes, received {r.ReceivedAt:u} via {r.ReceivedVia}");
        foreach (var row in rejected)
        {
            AnsiConsole.MarkupLineInterpolated($"  [red]line {row.LineNumber}[/] {row.Field}: {row.Reason}");
        }
        if (r.Rejected > rejected.Count)
        {
            AnsiConsole.MarkupLineInterpolated($"  ... and {r.Rejected - rejected.Count:N0} more rejected rows (padu receipt {r.Id})");
        }
    }
}
