using System.CommandLine;
using PaduHub.Cli;

var root = new RootCommand("padu: PaduHub, the master data hub for people and households")
{
    GenerateCommand.Create(),
    IngestCommand.Ingest(),
    IngestCommand.Receipt(),
    DatabaseCommands.Migrate(),
    DatabaseCommands.Database(),
};
return await root.Parse(args).InvokeAsync();
