using Hangfire;
using PaduHub.GoldenRecords;
using PaduHub.Server.Households;

namespace PaduHub.Server.Matching;

/// <summary>
/// Background matching: the continuation after every extract load, and a full re-match on demand. Households are
/// formed again after every run that changed golden records (a job on their own queue), so a birth or a move reaches
/// eligibility the same night. Matching runs one at a time over the whole hub (an advisory lock), on whichever worker
/// takes the job, on a queue of its own: a second run waits in the queue, not in a worker that ingestion needs.
/// </summary>
public sealed class MatchingJobs(PersonMatching matching, IBackgroundJobClient jobs)
{
    public const string Queue = JobQueues.Match;

    [Queue(Queue)]
    [AutomaticRetry(Attempts = 3)]
    [JobDisplayName("Match queued source records")]
    public async Task MatchQueued(CancellationToken cancellationToken)
    {
        if (await matching.MatchQueuedAsync(cancellationToken) is not null)
        {
            jobs.Enqueue<HouseholdJobs>(j => j.Rebuild(CancellationToken.None));
        }
    }

    [Queue(Queue)]
    [AutomaticRetry(Attempts = 1)]
    [JobDisplayName("Full re-match")]
    public async Task FullRematch(CancellationToken cancellationToken)
    {
        await matching.FullRematchAsync(cancellationToken: cancellationToken);
        jobs.Enqueue<HouseholdJobs>(j => j.Rebuild(CancellationToken.None));
    }

    public const string PruneJobId = "prune-match-run-records";

    /// <summary>The lists of what each incremental run matched are kept a week: a worker's index that far behind is rebuilt.</summary>
    [Queue(JobQueues.Maintenance)]
    [AutomaticRetry(Attempts = 1)]
    [JobDisplayName("Forget what incremental runs older than a week matched")]
    public async Task PruneRunRecords(CancellationToken cancellationToken) =>
        await matching.PruneRunRecordsAsync(TimeSpan.FromDays(7), cancellationToken);
}
