namespace PaduHub.GoldenRecords;

/// <summary>What a matching run did.</summary>
public sealed record MatchRunReport(long RunId, string Kind, int Records, long PairsCompared, int GoldenCreated, int GoldenChanged,
    int GoldenRetired, int Review, IReadOnlyDictionary<string, double> Seconds,
    PaduHub.Matching.ModelEstimate Estimate);
