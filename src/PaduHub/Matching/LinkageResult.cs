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

/// <summary>The pairs blocking found, with the passes that found each and their compared levels, and the model trained on them.</summary>
public sealed record ComparedPairs(IReadOnlyList<MatchRecord> Records, IReadOnlyList<(int A, int B)> Candidates, ushort[] Passes, ulong[] Patterns, MatchModel Model);
