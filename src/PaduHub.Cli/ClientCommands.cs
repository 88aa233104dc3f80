using System.CommandLine;
using PaduHub.Access;
using PaduHub.Database;
using Spectre.Console;

namespace PaduHub.Cli;

/// <summary>
/// padu clients add | list | revoke | rotate: API keys for agencies and policy systems. A key is printed once, when
/// made or rotated; revoking and rotating are audited with the machine user who did it.
/// </summary>
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
        var list = new Command("list", "Every API client with its scopes and whether it is revoked (never its key)");
        list.SetAction(async (parse, cancellationToken) =>
        {
            using var database = PaduDatabase.Open();
            await database.MigrateAsync(cancellationToken: cancellationToken);
            ListOutput.Write(["id", "name", "scopes", "created", "revoked"], (await ApiClients.ListAsync(database.ConnectionString, cancellationToken))
                .Select(c => new[] { c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Name, string.Join(' ', c.Scopes), ListOutput.When(c.CreatedAt), ListOutput.When(c.RevokedAt) }));
            return 0;
        });
        var revokeName = new Option<string>("--name") { Description = "The client whose key stops working", Required = true };
        var revoke = new Command("revoke", "Stop a client's key working (a running hub forgets it within Padu:KeyCacheSeconds)") { revokeName };
        revoke.SetAction(async (parse, cancellationToken) =>
        {
            using var database = PaduDatabase.Open();
            await database.MigrateAsync(cancellationToken: cancellationToken);
            if (!await ApiClients.RevokeAsync(database.ConnectionString, parse.GetValue(revokeName)!, ListOutput.Operator, cancellationToken))
            {
                Console.Error.WriteLine($"padu: no active client named {parse.GetValue(revokeName)} (padu clients list shows them)");
                return 2;
            }
            AnsiConsole.MarkupLineInterpolated($"{parse.GetValue(revokeName)}: key revoked");
            return 0;
        });
        var rotateName = new Option<string>("--name") { Description = "The client that gets a new key", Required = true };
        var rotate = new Command("rotate", "Give a client a new key; the old one stops working at once") { rotateName };
        rotate.SetAction(async (parse, cancellationToken) =>
        {
            using var database = PaduDatabase.Open();
            await database.MigrateAsync(cancellationToken: cancellationToken);
            if (await ApiClients.RotateAsync(database.ConnectionString, parse.GetValue(rotateName)!, ListOutput.Operator, cancellationToken) is not { } key)
            {
                Console.Error.WriteLine($"padu: no active client named {parse.GetValue(rotateName)} (padu clients list shows them)");
                return 2;
            }
            AnsiConsole.MarkupLine("new key (store it now; it cannot be shown again; the old key no longer works):");
            Console.WriteLine(key);
            return 0;
        });
        return new Command("clients", "API clients: agencies and systems that call the hub") { add, list, revoke, rotate };
    }
}
