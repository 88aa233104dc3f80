namespace PaduHub.Matching;

/// <summary>Everything a run produced, with timings for the benchmark and report.</summary>
public sealed record LinkageResult(
    IReadOnlyList<MatchRecord> Records,
    int[] ClusterOf,
    IReadOnlyList<(int A, int B)> Candidates,
    IReadOnlyList<ScoredPair> Pairs,
    IReadOnlyList<ReviewItem> Review,
    MatchModel Model,
    BlockingReport Blocking,
    IReadOnlyDictionary<string, double> Seconds,
    ulong[] Patterns,
    ushort[] CandidatePasses,
    ModelEstimate Estimate)
{
    public ComparedPairs Compared => new(Records, Candidates, CandidatePasses, Patterns, Model);
}

/// <summary>
/// The pairs blocking found, with the passes that found each and their compared levels, and the model trained on them;
/// with each pair's weight where the run has weighed them already (scoring and the pairs file share one weighing).
/// </summary>
public sealed record ComparedPairs(IReadOnlyList<MatchRecord> Records, IReadOnlyList<(int A, int B)> Candidates, ushort[] Passes, ulong[] Patterns, MatchModel Model,
    double[]? Weights = null)
{
    /// <summary>Pair k's weight: the run's own where it has one, else the model's for its levels.</summary>
    public double WeightOf(int k) => Weights is { } weights ? weights[k] : Model.Weight(Patterns[k], Records[Candidates[k].A]);
}
