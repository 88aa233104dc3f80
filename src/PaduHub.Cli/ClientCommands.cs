using System.CommandLine;
using PaduHub.Access;
using PaduHub.Database;
using Spectre.Console;

namespace PaduHub.Cli;

/// <summary>padu clients add: make an API key for an agency or a policy system; the key is printed once.</summary>
static class ClientCommands
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "Who the key is for, e.g. jpn-nightly-upload", Required = true };
        var scopes = new Option<string[]>("--scope")
        {
            Description = "What the key may do, e.g. ingest:JPN (repeatable)",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var add = new Command("add", "Create an API client and print its key (shown once, stored only as a hash)") { name, scopes };
        add.SetAction(async (parse, cancellationToken) =>
        {
            using var database = PaduDatabase.Open();
            await database.MigrateAsync(cancellationToken: cancellationToken);
            var (client, key) = await ApiClients.CreateAsync(database.ConnectionString, parse.GetValue(name)!, parse.GetValue(scopes)!, cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"client {client.Id} [bold]{client.Name}[/] with {string.Join(", ", client.Scopes)}");
            AnsiConsole.MarkupLine("key (store it now; it cannot be shown again):");
            Console.WriteLine(key);
            return 0;
        });
        return new Command("clients", "API clients: agencies and systems that call the hub") { add };
    }
}
