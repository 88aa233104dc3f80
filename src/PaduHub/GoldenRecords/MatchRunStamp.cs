using System.Globalization;

namespace PaduHub.GoldenRecords;

/// <summary>
/// Which match run an index reflects. The start time is part of it because a run id alone can come back: incremental
/// runs commit without waiting for the disk, and if PostgreSQL crashes before it writes one out, its id may be drawn
/// again by a different run, which an index stamped with the lost run must not be taken for.
/// </summary>
public readonly record struct MatchRunStamp(long Id, DateTime StartedAt)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Id}@{StartedAt.ToUniversalTime().Ticks}");
}
