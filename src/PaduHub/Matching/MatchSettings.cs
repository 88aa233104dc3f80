namespace PaduHub.Matching;

/// <summary>
/// The knobs of a matching run. The defaults are the settings every benchmark dataset is scored with; nothing is
/// tuned per dataset.
/// </summary>
public sealed record MatchSettings
{
    /// <summary>How many look-alikes each record asks the index for.</summary>
    public int TopK { get; init; } = 20;
    /// <summary>Exact-key blocks bigger than this are skipped: a shared office phone is not evidence.</summary>
    public int MaxBlock { get; init; } = 50;
    /// <summary>Index terms carried by more records than this are not searched on.</summary>
    public int MaxTermDocs { get; init; } = 1000;
    /// <summary>At or above: linked without a person looking.</summary>
    public double LinkProbability { get; init; } = 0.95;
    /// <summary>At or above, below the link probability: a steward decides.</summary>
    public double ReviewProbability { get; init; } = 0.5;
    /// <summary>No record pair inside a cluster may score below this (log2 odds): the anti-chaining floor.</summary>
    public double CrossFloorWeight { get; init; } = -10;
    public int RandomPairs { get; init; } = 300_000;

    /// <summary>
    /// Link, not dedupe: only pairs of records from different sources are compared and clustered, as when files
    /// without duplicates of their own are linked (match-csv with two inputs or more). The hub dedupes within agencies too.
    /// </summary>
    public bool AcrossSourcesOnly { get; init; }

    /// <summary>
    /// Linking files without duplicates of their own: each record joins at most one record of each other file, the
    /// strongest pair first; a weaker pair to a record matched already is neither linked nor sent for review.
    /// </summary>
    public bool OneToOne { get; init; }
}
