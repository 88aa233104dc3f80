using System.Collections.Concurrent;

namespace PaduHub.GoldenRecords;

/// <summary>
/// The standing match index's lifetime in this process. The index stays open between incremental runs: closing a
/// Lucene writer waits for its segment merges, and that wait was the whole of one record's p99. One per folder,
/// shared by every <see cref="PersonMatching"/> on it; closed after a quiet spell, so another process (the padu
/// command) can open it, while merges finish in the background meanwhile. A run holds <see cref="Gate"/> while it
/// uses or replaces the index.
/// </summary>
sealed class StandingIndex
{
    public static readonly TimeSpan IdleClose = TimeSpan.FromSeconds(30);
    static readonly ConcurrentDictionary<string, StandingIndex> s_open = new(StringComparer.Ordinal);

    public readonly SemaphoreSlim Gate = new(1, 1);
    public MatchIndex? Index;
    public MatchRunStamp Run;
    Timer? _idle;

    public static StandingIndex For(string folder) => s_open.GetOrAdd(Path.GetFullPath(folder), _ => new StandingIndex());

    // Runs since the last commit are only stamped in memory; closing writes them, so a clean stop never costs the
    // next start a rebuild.
    static StandingIndex() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var slot in s_open.Values)
        {
            if (slot.Gate.Wait(TimeSpan.FromSeconds(10)))
            {
                slot.Close();
            }
        }
    };

    /// <summary>Closes it, waiting for merges; the caller holds the gate.</summary>
    public void Close() => Let(index => index.Dispose());

    /// <summary>Closes it without committing; the caller holds the gate.</summary>
    public void Abandon() => Let(index => index.Abandon());

    void Let(Action<MatchIndex> go)
    {
        try
        {
            if (Index is { } index)
            {
                go(index);
            }
        }
        catch (Exception e) when (FolderTrouble(e))
        {
            // The folder went away (a test's scratch, a hub reset): the index is rebuilt when next needed. Lucene wraps
            // a missing file met while closing (a merge weighing the segments it would write out) in its own
            // exceptions, and this runs on the way out of the process too, where nothing may escape.
        }
        Index = null;
    }

    static bool FolderTrouble(Exception e) =>
        e is IOException or ObjectDisposedException or UnauthorizedAccessException || e.InnerException is { } inner && FolderTrouble(inner);

    public void KeepOpenAWhile()
    {
        _idle ??= new Timer(_ =>
        {
            if (Gate.Wait(0))
            {
                try
                {
                    Close();
                }
                finally
                {
                    Gate.Release();
                }
            }
        });
        _idle.Change(IdleClose, Timeout.InfiniteTimeSpan);
    }
}
