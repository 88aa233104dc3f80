using System.Diagnostics;
using System.Text;

namespace PaduHub.Database;

/// <summary>
/// Runs the PostgreSQL tools (initdb, pg_ctl, pg_isready). PostgreSQL refuses to run as root, so when
/// the hub is root the tools run as an unprivileged user through runuser.
/// </summary>
public static class CommandRunner
{
    public static bool IsRoot => Environment.IsPrivilegedProcess;

    public static CommandResult Run(string program, IReadOnlyList<string> arguments, string? asUser = null,
        TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (asUser is null)
        {
            start.FileName = program;
        }
        else
        {
            start.FileName = FindRunuser();
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(asUser);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(program);
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // The server inherits the environment; a predictable locale keeps initdb's messages readable.
        start.Environment["LC_ALL"] = "C.UTF-8";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"could not start {program}");
        process.StandardInput.Close();
        var output = new StringBuilder();
        var lockObject = new object();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (lockObject) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (lockObject) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(program)} did not finish within {timeout ?? TimeSpan.FromMinutes(2)}");
        }
        process.WaitForExit();
        lock (lockObject)
        {
            return new CommandResult(process.ExitCode, output.ToString().Trim());
        }
    }

    static string FindRunuser()
    {
        foreach (var candidate in new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new EmbeddedPostgresException(
            "PaduHub runs as root, and PostgreSQL refuses root, so it needs 'runuser' (util-linux) to start the "
            + "embedded database as an unprivileged user. Install util-linux, run PaduHub as a normal user, or set "
            + "PADU_DATABASE_URL to an existing PostgreSQL server.");
    }
}
