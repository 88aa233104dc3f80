using System.CommandLine;
using Microsoft.Extensions.Logging;
using PaduHub.Database;
using Spectre.Console;

namespace PaduHub.Cli;

/// <summary>padu migrate, padu db status, padu db stop.</summary>
static class DatabaseCommands
{
    public static Command Migrate()
    {
        var command = new Command("migrate", "Apply the numbered scripts in sql/ to the configured or embedded database");
        command.SetAction(async (_, cancellationToken) =>
        {
            using var logging = ConsoleLogging();
            using var database = PaduDatabase.Open(logger: logging.CreateLogger("padu"));
            var result = await database.MigrateAsync(logging.CreateLogger("padu"), cancellationToken);
            AnsiConsole.MarkupLine($"schema version [green]{result.SchemaVersion}[/], {result.Applied.Count} migration(s) applied");
            return 0;
        });
        return command;
    }

    public static Command Database()
    {
        var status = new Command("status", "Start (or find) the database and print its schema version");
        status.SetAction(async (_, cancellationToken) =>
        {
            using var logging = ConsoleLogging();
            using var database = PaduDatabase.Open(logger: logging.CreateLogger("padu"));
            await using var connection = database.Connect();
            await connection.OpenAsync(cancellationToken);
            var version = await SchemaMigrator.CurrentVersionAsync(connection, cancellationToken);
            var where = database.Embedded is { } e ? $"embedded cluster in {e.Folder}, port {e.Port}" : "configured server";
            AnsiConsole.MarkupLineInterpolated($"{where}: schema version {version} (this code: {SchemaMigrator.LatestVersion})");
            return 0;
        });
        return new Command("db", "The hub's database") { status };
    }

    static ILoggerFactory ConsoleLogging() =>
        LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
}
