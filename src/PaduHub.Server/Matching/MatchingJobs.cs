using Hangfire;
using PaduHub.GoldenRecords;
using PaduHub.Households;

namespace PaduHub.Server.Matching;

/// <summary>
/// Background matching: the continuation after every extract load, and a full re-match on demand. Households are
/// formed again after every run that changed golden records, so a birth or a move reaches eligibility the same night.
/// Matching runs one at a time (an advisory lock), on a queue of its own with one worker: a second run waits in the
/// queue, not in a worker that ingestion needs.
/// </summary>
public sealed class MatchingJobs(PersonMatching matching, GoldenHouseholds households)
{
    public const string Queue = "match";

    [Queue(Queue)]
    [AutomaticRetry(Attempts = 3)]
    [JobDisplayName("Match queued source records")]
    public async Task MatchQueued(CancellationToken cancellationToken)
    {
        if (await matching.MatchQueuedAsync(cancellationToken) is not null)
        {
            await households.RebuildAsync(cancellationToken);
        }
    }

    [Queue(Queue)]
    [AutomaticRetry(Attempts = 1)]
    [JobDisplayName("Full re-match")]
    public async Task FullRematch(CancellationToken cancellationToken)
    {
        await matching.FullRematchAsync(cancellationToken: cancellationToken);
        await households.RebuildAsync(cancellationToken);
    }
}
