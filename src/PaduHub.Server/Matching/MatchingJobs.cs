using Hangfire;
using PaduHub.GoldenRecords;
using PaduHub.Households;

namespace PaduHub.Server.Matching;

/// <summary>
/// Background matching: the continuation after every extract load, and a full re-match on demand. Households are
/// formed again after every run that changed golden records, so a birth or a move reaches eligibility the same night.
/// </summary>
public sealed class MatchingJobs(PersonMatching matching, GoldenHouseholds households)
{
    [AutomaticRetry(Attempts = 3)]
    [JobDisplayName("Match queued source records")]
    public async Task MatchQueued(CancellationToken cancellationToken)
    {
        if (await matching.MatchQueuedAsync(cancellationToken) is not null)
        {
            await households.RebuildAsync(cancellationToken);
        }
    }

    [AutomaticRetry(Attempts = 1)]
    [JobDisplayName("Full re-match")]
    public async Task FullRematch(CancellationToken cancellationToken)
    {
        await matching.FullRematchAsync(cancellationToken: cancellationToken);
        await households.RebuildAsync(cancellationToken);
    }
}
