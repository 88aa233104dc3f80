namespace PaduHub.Database;

/// <summary>
/// Which processes use an embedded cluster: each holds a shared lock on one file in the cluster's folder while it
/// does, and the last to leave stops the server. A hub, a <c>padu</c> command beside it and a second command all share
/// the server; none stops it under the others. A killed process's lock goes with it, so a server it leaves running
/// is stopped by whoever leaves it last after that.
/// </summary>
static class ClusterUsers
{
    const string LockFile = "in-use.lock";

    /// <summary>How long joining waits for a process that is stopping the server (it holds the lock alone meanwhile).</summary>
    static readonly TimeSpan s_waitForStop = TimeSpan.FromSeconds(90);

    /// <summary>Joins the cluster's users: a shared lock held until the handle is disposed.</summary>
    public static FileStream Join(string folder)
    {
        var deadline = DateTime.UtcNow + s_waitForStop;
        while (true)
        {
            try
            {
                return new FileStream(Path.Combine(folder, LockFile), FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
            catch (IOException e)
            {
                throw new EmbeddedPostgresException(
                    $"Another process has been stopping the embedded PostgreSQL in {folder} for {s_waitForStop.TotalSeconds:0} s ({e.Message}); try again when it has finished.");
            }
        }
    }

    /// <summary>
    /// After leaving: the lock alone, when no other process uses the cluster (hold it while stopping the server), or
    /// null when another still does and the server must keep running.
    /// </summary>
    public static FileStream? TakeIfLast(string folder)
    {
        try
        {
            return new FileStream(Path.Combine(folder, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
