using PaduHub.Server.Matching;
using Hangfire;
using PaduHub.Ingestion;

namespace PaduHub.Server.Ingestion;

/// <summary>
/// Background work of ingestion, run by Hangfire. Jobs take ids, not files, and are safe to run twice: a loaded
/// extract is not loaded again. A bad file is a rejected receipt, not an exception, so retries only cover
/// the database or the disk failing.
/// </summary>
public sealed class IngestionJobs(ExtractLoader loader, DropFolders dropFolders, IBackgroundJobClient jobs)
{
    public const string SweepJobId = "sweep-drop-folders";

    [AutomaticRetry(Attempts = 3)]
    [JobDisplayName("Load extract {0}")]
    public async Task LoadQueued(long extractId, CancellationToken cancellationToken) =>
        await loader.LoadQueuedAsync(extractId, cancellationToken);

    [AutomaticRetry(Attempts = 1)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [JobDisplayName("Sweep agency drop folders")]
    public async Task SweepDropFolders(CancellationToken cancellationToken)
    {
        await dropFolders.SweepAsync(cancellationToken: cancellationToken);
        // Whatever the sweep loaded is queued for matching; an empty queue makes this a no-op.
        jobs.Enqueue<MatchingJobs>(j => j.MatchQueued(CancellationToken.None));
    }
}
