namespace PaduHub.Database;

/// <summary>
/// The postmaster.pid a running PostgreSQL keeps in its data folder: which process it is and on which port it listens.
/// A hub killed without stopping its cluster leaves one behind, and the next hub attaches or cleans up by it.
/// </summary>
static class PostmasterPidFile
{
    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, "postmaster.pid");

    /// <summary>The running postmaster's pid and port (null when the file lacks it), or null when none is running.</summary>
    public static (int Pid, int? Port)? Live(string dataDirectory)
    {
        var pidFile = PathIn(dataDirectory);
        if (!File.Exists(pidFile))
        {
            return null;
        }
        var lines = Read(pidFile);
        if (lines.Length == 0 || !int.TryParse(lines[0], out var pid) || !IsPostgresProcess(pid))
        {
            return null;
        }
        return (pid, lines.Length >= 4 && int.TryParse(lines[3], out var port) ? port : null);
    }

    static string[] Read(string pidFile)
    {
        try
        {
            // postgres rewrites this file while it runs; share everything.
            using var stream = new FileStream(pidFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n');
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>Whether the pid is a PostgreSQL process still, not another that took its number.</summary>
    static bool IsPostgresProcess(int pid)
    {
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            return cmdline.Contains("postgres", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
