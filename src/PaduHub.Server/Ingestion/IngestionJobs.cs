using Dapper;
using Hangfire;
using PaduHub.Ingestion;
using PaduHub.Server.Matching;

namespace PaduHub.Server.Ingestion;

/// <summary>
/// Background work of ingestion, run by Hangfire on its own queue (<see cref="Queue"/>), so matching never holds the
/// workers an agency's file waits for. Jobs take ids, not files, and are safe to run twice: a loaded extract is not
/// loaded again. A bad file is a rejected receipt, not an exception, so retries only cover the database or the disk failing.
/// </summary>
public sealed class IngestionJobs(ExtractLoader loader, DropFolders dropFolders, IBackgroundJobClient jobs)
{
    public const string SweepJobId = "sweep-drop-folders";
    public const string Queue = "ingest";

    [Queue(Queue)]
    [AutomaticRetry(Attempts = 3)]
    [JobDisplayName("Load extract {0}")]
    public async Task LoadQueued(long extractId, CancellationToken cancellationToken) =>
        await loader.LoadQueuedAsync(extractId, cancellationToken);

    [Queue(Queue)]
    [AutomaticRetry(Attempts = 1)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [JobDisplayName("Sweep agency drop folders")]
    public async Task SweepDropFolders(CancellationToken cancellationToken)
    {
        await dropFolders.SweepAsync(cancellationToken: cancellationToken);
        // Whatever the sweep loaded is queued for matching; an empty queue makes this a no-op.
        jobs.Enqueue<MatchingJobs>(j => j.MatchQueued(CancellationToken.None));
    }

    public const string RetentionJobId = "prune-kept-files";

    /// <summary>
    /// Agencies' files kept as plain files (drop-folder archives, spool leftovers) go after <c>Padu:RetentionDays</c>
    /// (30 by default); the receipts, rejected rows and source records in the database are kept as they are.
    /// </summary>
    [Queue(JobQueues.Maintenance)]
    [AutomaticRetry(Attempts = 1)]
    [JobDisplayName("Delete kept extract files past their retention")]
    public async Task PruneKeptFiles(int retentionDays, CancellationToken cancellationToken)
    {
        var keep = TimeSpan.FromDays(retentionDays);
        dropFolders.Prune(keep);
        await loader.PruneSpoolAsync(keep, cancellationToken);
    }

    /// <summary>A received file's load, and matching after it: what the load changed is matched as soon as it lands.</summary>
    public static void EnqueueLoad(IBackgroundJobClient jobs, long extractId)
    {
        var load = jobs.Enqueue<IngestionJobs>(j => j.LoadQueued(extractId, CancellationToken.None));
        jobs.ContinueJobWith<MatchingJobs>(load, j => j.MatchQueued(CancellationToken.None));
    }

    /// <summary>
    /// Files received and never loaded: the hub that received them stopped (killed, or stopped mid-load) before their
    /// load committed. A starting hub loads them at once instead of waiting for a dead server's jobs to time out. Their
    /// receipts say queued and their bytes wait in the spool; a job of the old hub that runs later finds them loaded.
    /// </summary>
    public static async Task<int> ResumeAbandonedAsync(string connectionString, IBackgroundJobClient jobs)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        var abandoned = (await connection.QueryAsync<long>(
            $"select id from extract where status = '{ExtractStatus.Queued}' and spool_path is not null order by id")).ToList();
        foreach (var id in abandoned)
        {
            EnqueueLoad(jobs, id);
        }
        return abandoned.Count;
    }
}
