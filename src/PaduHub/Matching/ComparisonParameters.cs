using System.Text.Json.Serialization;

namespace PaduHub.Matching;

/// <summary>m and u for one comparison: how often each level occurs among true matches and among non-matches.</summary>
public sealed class ComparisonParameters
{
    public required string Name { get; init; }
    public required string[] Levels { get; init; }
    public required double[] M { get; init; }
    public required double[] U { get; init; }
    /// <summary>u among random pairs; the term-frequency adjustment compares a value's frequency with this.</summary>
    public required double[] URandom { get; init; }
    /// <summary>How often each value occurs (exact-level term-frequency adjustment), over TotalRecords records.</summary>
    [JsonIgnore]
    public Dictionary<string, int>? ValueCounts { get; init; }
    /// <summary>Values of a <see cref="Comparison.Shared"/> field carried by more than <see cref="MatchModel.CrowdedAbove"/> records: no evidence.</summary>
    [JsonIgnore]
    public HashSet<string>? Crowded { get; init; }
}
