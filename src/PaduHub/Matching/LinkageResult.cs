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
    ModelEstimate Estimate);
