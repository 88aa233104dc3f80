using Microsoft.Extensions.Logging;
using PaduHub.Ingestion;
using PaduHub.Matching;

namespace PaduHub.GoldenRecords;

/// <summary>
/// Turns source records into golden records, in full (<see cref="FullRematch"/>) or incrementally
/// (<see cref="IncrementalMatch"/>). Both write through <see cref="GoldenSettlement"/> and take one advisory lock, so
/// a full and an incremental run never interleave. One instance per hub: it keeps the stored model it last read.
/// </summary>
public sealed class PersonMatching(string connectionString, AgencyContracts contracts, string indexFolder, MatchSettings? settings = null, ILogger? logger = null)
{
    readonly MatchingSetup _setup = new(connectionString, contracts, indexFolder, settings ?? new MatchSettings(), logger);
    readonly StoredModels _models = new();

    /// <summary>At most this long of incremental runs lives only in the open index before it is committed to disk.</summary>
    public static TimeSpan IndexCommitEvery => IncrementalMatch.IndexCommitEvery;

    /// <param name="retrain">train a new model (the default); false re-matches everything with the stored model, which
    /// is how a full run is compared with the incremental path</param>
    /// <param name="cancellationToken">stops the run; nothing it did is kept</param>
    public Task<MatchRunReport> FullRematchAsync(bool retrain = true, CancellationToken cancellationToken = default) =>
        FullRematch.RunAsync(_setup, retrain, cancellationToken);

    /// <summary>Matches what ingestion queued. With no model yet (the first load), it runs a full re-match instead.</summary>
    public Task<MatchRunReport?> MatchQueuedAsync(CancellationToken cancellationToken = default) =>
        IncrementalMatch.RunAsync(_setup, _models, cancellationToken);

    /// <summary>Forgets which records the incremental runs older than <paramref name="keep"/> matched (a standing index that far behind is rebuilt).</summary>
    public Task<int> PruneRunRecordsAsync(TimeSpan keep, CancellationToken cancellationToken = default) =>
        IndexCatchUp.PruneAsync(_setup, keep, cancellationToken);
}
