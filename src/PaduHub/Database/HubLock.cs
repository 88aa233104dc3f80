namespace PaduHub.Database;

/// <summary>
/// One hub to a home: the hub holds this lock on <c>hub.lock</c> in its home for as long as it runs, so a second hub
/// started on the same home (its standing index, spool and drop folders are the first's) refuses to start instead of
/// sharing them. <c>padu</c> commands take no part: they share the home's cluster with the hub.
/// </summary>
public static class HubLock
{
    /// <summary>Whether a hub holds the lock on this home now (a padu command asks, to say what happens next).</summary>
    public static bool IsHeld(string home)
    {
        var path = Path.Combine(home, "hub.lock");
        if (!File.Exists(path))
        {
            return false;
        }
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>The lock, or an error naming the process that holds it.</summary>
    public static FileStream Take(string home)
    {
        Directory.CreateDirectory(home);
        var pidFile = Path.Combine(home, "hub.pid");
        try
        {
            var held = new FileStream(Path.Combine(home, "hub.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            // Beside the lock, not in it: a lock held alone cannot be read by the hub it refuses.
            File.WriteAllText(pidFile, $"{Environment.ProcessId}\n");
            return held;
        }
        catch (IOException)
        {
            var holder = File.Exists(pidFile) ? $"process {File.ReadAllText(pidFile).Trim()}" : "another process";
            throw new EmbeddedPostgresException(
                $"A hub is already running on {home} ({holder}); stop it first, or give this one a home of its own with PADU_HOME.");
        }
    }
}
