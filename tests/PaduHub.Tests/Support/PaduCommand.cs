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
        var (exitCode, output, error) = Start(arguments);
        Assert.That(exitCode, Is.Zero, $"padu {string.Join(' ', arguments)}: {error}");
        return output;
    }

    /// <summary>Runs padu with arguments it must refuse, and gives what it said on standard error.</summary>
    public static string Refused(params string[] arguments)
    {
        var (exitCode, _, error) = Start(arguments);
        Assert.That(exitCode, Is.Not.Zero, $"padu {string.Join(' ', arguments)} should have refused");
        return error;
    }

    static (int ExitCode, string Output, string Error) Start(string[] arguments)
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
        return (padu.ExitCode, output.Result, error.Result);
    }
}

