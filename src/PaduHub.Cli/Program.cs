using System.CommandLine;
using PaduHub.Cli;
using PaduHub.Database;
using PaduHub.Ingestion;

var root = new RootCommand("padu: PaduHub, the master data hub for people and households")
{
    GenerateCommand.Create(),
    IngestCommand.Ingest(),
    IngestCommand.Receipt(),
    ClientCommands.Create(),
    StewardCommands.Create(),
    MatchCommand.Match(),
    MatchCommand.Golden(),
    HouseholdsCommand.Create(),
    ExplainCommand.Create(),
    MatchCsvCommand.Create(),
    EvaluateCommand.Create(),
    DatabaseCommands.Migrate(),
    DatabaseCommands.Database(),
};
// Into a pipe or a file, lines and tables keep their full width: Spectre would otherwise wrap and cut them at 80 columns.
if (Console.IsOutputRedirected)
{
    Spectre.Console.AnsiConsole.Profile.Width = 4096;
}
try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is SchemaMismatchException or EmbeddedPostgresException or ContractException or UnknownAgencyException
    or ArgumentException or FileNotFoundException)
{
    // Problems a person can fix get one clear sentence, not a stack trace.
    Console.Error.WriteLine($"padu: {e.Message}");
    return 2;
}
catch (Lucene.Net.Store.LockObtainFailedException)
{
    // A running hub keeps the match index open for 30 s after each run.
    Console.Error.WriteLine("padu: the match index is in use by a running hub, which matches after every load itself; try again in a minute or stop the hub");
    return 2;
}
