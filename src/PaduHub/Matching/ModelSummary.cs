namespace PaduHub.Matching;

/// <summary>
/// A trained model as a person reads it: each comparison's levels with m, u and weight, lambda and the check's
/// verdict. No term frequencies: those are tables of agreed values (names, towns), which are personal data and
/// megabytes besides. match-csv writes it beside its clusters; the review API serves it.
/// </summary>
public sealed record ModelSummary(double Lambda, int EmIterations, double NameAndBirthBits, double[] LooserNameAndBirthBits, double MovedBits,
    bool FittedBySessions, ModelSanity Sanity, ModelSummary.ComparisonLevels[] Comparisons, ModelEstimate? Estimate, double[] NameAndPhoneBits,
    ModelSummary.AddressMove[] AddressMoves, double[] NameAndHomeBits)
{
    public sealed record Level(string Name, double M, double U, double Weight);

    /// <summary>A pattern of address parts differing together, and the bits a pair with it gets back.</summary>
    public sealed record AddressMove(string Parts, double Bits);

    /// <summary>One comparison's levels, closest first.</summary>
    public sealed record ComparisonLevels(string Name, Level[] Levels);

    public static ModelSummary Of(MatchModel model, ModelEstimate? estimate) => new(model.Lambda, model.EmIterations,
        Math.Round(model.NameAndBirthBits, 3), [.. model.LooserNameAndBirthBits.Select(b => Math.Round(b, 3))], Math.Round(model.MovedBits, 3), model.FittedBySessions, model.Sanity,
        model.Parameters.Select(p => new ComparisonLevels(p.Name, Enumerable.Range(0, p.Levels.Length).Reverse()
            .Select(l => new Level(p.Levels[l], p.M[l], p.U[l], Math.Round(Math.Log2(p.M[l] / p.U[l]), 3))).ToArray())).ToArray(),
        estimate, [.. model.NameAndPhoneBits.Select(b => Math.Round(b, 3))], AddressMovesOf(model), [.. model.NameAndHomeBits.Select(b => Math.Round(b, 3))]);

    /// <summary>Each address pattern in words (address different, postcode exact, ...), strongest first.</summary>
    static AddressMove[] AddressMovesOf(MatchModel model)
    {
        var parts = MatchModel.AddressPartsOf(model.Comparisons);
        return [.. model.AddressMoveBits.OrderByDescending(m => m.Value).Select(m => new AddressMove(string.Join(", ", parts.Select((comparison, k) =>
            ((m.Key >> (3 * (parts.Length - 1 - k))) & 7) - 1 is var level and >= 0 ? $"{model.Comparisons[comparison].Name} {model.Comparisons[comparison].Levels[level]}"
                : $"{model.Comparisons[comparison].Name} missing")), Math.Round(m.Value, 3)))];
    }

    public static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(this, JsonOptions);
}
