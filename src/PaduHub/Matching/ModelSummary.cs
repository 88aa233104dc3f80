namespace PaduHub.Matching;

/// <summary>
/// A trained model as a person reads it: each comparison's levels with m, u and weight, lambda and the check's
/// verdict. No term frequencies: those are tables of agreed values (names, towns), which are personal data and
/// megabytes besides. match-csv writes it beside its clusters; the review API serves it.
/// </summary>
public sealed record ModelSummary(double Lambda, int EmIterations, double NameAndBirthBits, double[] LooserNameAndBirthBits, double MovedBits,
    bool FittedBySessions, ModelSanity Sanity, ModelSummary.ComparisonLevels[] Comparisons, ModelEstimate? Estimate)
{
    public sealed record Level(string Name, double M, double U, double Weight);

    /// <summary>One comparison's levels, closest first.</summary>
    public sealed record ComparisonLevels(string Name, Level[] Levels);

    public static ModelSummary Of(MatchModel model, ModelEstimate? estimate) => new(model.Lambda, model.EmIterations,
        Math.Round(model.NameAndBirthBits, 3), [.. model.LooserNameAndBirthBits.Select(b => Math.Round(b, 3))], Math.Round(model.MovedBits, 3), model.FittedBySessions, model.Sanity,
        model.Parameters.Select(p => new ComparisonLevels(p.Name, Enumerable.Range(0, p.Levels.Length).Reverse()
            .Select(l => new Level(p.Levels[l], p.M[l], p.U[l], Math.Round(Math.Log2(p.M[l] / p.U[l]), 3))).ToArray())).ToArray(),
        estimate);

    public static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(this, JsonOptions);
}
