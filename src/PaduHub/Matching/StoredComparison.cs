namespace PaduHub.Matching;

/// <summary>One comparison of a stored model: its levels, m, u, random-pair u, value counts and crowded values.</summary>
public sealed record StoredComparison(string Name, string[] Levels, double[] M, double[] U, double[] URandom, Dictionary<string, int>? ValueCounts,
    string[]? Crowded = null);
