namespace PaduHub.Database;

/// <summary>The outcome of one external command: exit code and everything it printed.</summary>
public sealed record CommandResult(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;
}
