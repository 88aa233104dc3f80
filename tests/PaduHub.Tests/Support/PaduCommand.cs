using System.Diagnostics;

namespace PaduHub.Tests;

/// <summary>The padu command, built with the tests (the test project depends on it) in the same configuration.</summary>
public static class PaduCommand
{
    public static string Dll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
        var dll = Path.Combine(Repository.Root, "src", "PaduHub.Cli", "bin", configuration, "net10.0", "padu.dll");
        Assert.That(dll, Does.Exist);
        return dll;
    }

    /// <summary>Runs padu with these arguments to its end (at most two minutes) and gives its standard output; a failure fails the test.</summary>
    public static string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Dll(), .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var padu = Process.Start(start)!;
        // Both streams read as they come, so a chatty or hung process cannot block the wait that bounds it.
        var output = padu.StandardOutput.ReadToEndAsync();
        var error = padu.StandardError.ReadToEndAsync();
        if (!padu.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            padu.Kill(entireProcessTree: true);
            Assert.Fail($"padu {string.Join(' ', arguments)} did not finish in two minutes");
        }
        Assert.That(padu.ExitCode, Is.Zero, $"padu {string.Join(' ', arguments)}: {error.Result}");
        return output.Result;
    }
}

