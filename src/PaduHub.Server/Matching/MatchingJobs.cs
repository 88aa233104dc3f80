using Hangfire;
using PaduHub.GoldenRecords;

namespace PaduHub.Server.Matching;

/// <summary>Background matching: the continuation after every extract load, and a full re-match on demand.</summary>
public sealed class MatchingJobs(PersonMatching matching)
{
    [AutomaticRetry(Attempts = 3)]
    [JobDisplayName("Match queued source records")]
    public async Task MatchQueued(CancellationToken cancellationToken) => await matching.MatchQueuedAsync(cancellationToken);

    [AutomaticRetry(Attempts = 1)]
    [JobDisplayName("Full re-match")]
    public async Task FullRematch(CancellationToken cancellationToken) => await matching.FullRematchAsync(cancellationToken: cancellationToken);
}
