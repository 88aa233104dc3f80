using System.CommandLine;
using PaduHub.Database;
using PaduHub.Stewardship;
using Spectre.Console;

namespace PaduHub.Cli;

/// <summary>padu stewards add: an account for the steward pages; the password is made for them and printed once,
/// or read from standard input with --password-stdin.</summary>
static class StewardCommands
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "Sign-in name, e.g. amina", Required = true };
        var displayName = new Option<string?>("--display-name") { Description = "Name shown on the pages, e.g. \"Amina Yusof\"" };
        var role = new Option<string>("--role") { Description = "steward or supervisor", DefaultValueFactory = _ => StewardAccounts.Steward };
        var fromStdin = new Option<bool>("--password-stdin") { Description = "Read the password (12 characters or more) from standard input" };
        var add = new Command("add", "Create a steward account") { name, displayName, role, fromStdin };
        add.SetAction(async (parse, cancellationToken) =>
        {
            using var database = PaduDatabase.Open();
            await database.MigrateAsync(cancellationToken: cancellationToken);
            var password = parse.GetValue(fromStdin) ? (await Console.In.ReadLineAsync(cancellationToken) ?? "").Trim() : StewardAccounts.NewPassword();
            var account = await StewardAccounts.AddAsync(database.ConnectionString, parse.GetValue(name)!,
                parse.GetValue(displayName) ?? parse.GetValue(name)!, parse.GetValue(role)!, password, cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"{account.Role} [bold]{account.Name}[/] can sign in at /steward");
            if (!parse.GetValue(fromStdin))
            {
                AnsiConsole.MarkupLine("password (give it to them now; it cannot be shown again):");
                Console.WriteLine(password);
            }
            return 0;
        });
        var list = new Command("list", "Every steward account with its role and whether it is disabled");
        list.SetAction(async (parse, cancellationToken) =>
        {
            using var database = PaduDatabase.Open();
            await database.MigrateAsync(cancellationToken: cancellationToken);
            ListOutput.Write(["name", "display name", "role", "created", "disabled"], (await StewardAccounts.ListAsync(database.ConnectionString, cancellationToken))
                .Select(a => new[] { a.Name, a.DisplayName, a.Role, ListOutput.When(a.CreatedAt), ListOutput.When(a.DisabledAt) }));
            return 0;
        });
        var disableName = new Option<string>("--name") { Description = "The account to disable", Required = true };
        var disable = new Command("disable", "Stop an account signing in; its open sessions end at their next page") { disableName };
        disable.SetAction(async (parse, cancellationToken) =>
        {
            using var database = PaduDatabase.Open();
            await database.MigrateAsync(cancellationToken: cancellationToken);
            if (!await StewardAccounts.DisableAsync(database.ConnectionString, parse.GetValue(disableName)!, ListOutput.Operator, cancellationToken))
            {
                Console.Error.WriteLine($"padu: no active steward named {parse.GetValue(disableName)} (padu stewards list shows them)");
                return 2;
            }
            AnsiConsole.MarkupLineInterpolated($"{parse.GetValue(disableName)}: disabled");
            return 0;
        });
        return new Command("stewards", "Accounts for the steward pages") { add, list, disable };
    }
}
