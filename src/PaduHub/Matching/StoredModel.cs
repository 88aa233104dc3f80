namespace PaduHub.Matching;

/// <summary>A model as stored in match_model: parameters by comparison name, term frequencies included.</summary>
public sealed record StoredModel(double Lambda, int TotalRecords, int EmIterations, StoredComparison[] Comparisons, double NameAndBirthBits = 0,
    ModelSanity? Sanity = null, bool FittedBySessions = false, double MovedBits = 0, double[]? LooserNameAndBirthBits = null,
    double[]? NameAndPhoneBits = null, Dictionary<int, double>? AddressMoveBits = null, double[]? NameAndHomeBits = null, bool HomesShared = false, bool HomesOwn = false,
    double CandidateShareOfStrangers = 0)
{
    static readonly System.Text.Json.JsonSerializerOptions s_json = new() { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The JSON kept in match_model.model.</summary>
    public static string ToJson(MatchModel model) => System.Text.Json.JsonSerializer.Serialize(From(model), s_json);

    public static MatchModel Parse(string json) => System.Text.Json.JsonSerializer.Deserialize<StoredModel>(json, s_json)!.ToModel();

    public static StoredModel From(MatchModel model) => new(model.Lambda, model.TotalRecords, model.EmIterations,
        model.Parameters.Select(p => new StoredComparison(p.Name, p.Levels, p.M, p.U, p.URandom, p.ValueCounts, p.Crowded?.Order(StringComparer.Ordinal).ToArray())).ToArray(),
        model.NameAndBirthBits, model.Sanity, model.FittedBySessions, model.MovedBits, model.LooserNameAndBirthBits, model.NameAndPhoneBits,
        new Dictionary<int, double>(model.AddressMoveBits), model.NameAndHomeBits, model.HomesShared, model.HomesOwn, model.CandidateShareOfStrangers);

    public MatchModel ToModel()
    {
        var byName = Matching.Comparisons.All.ToDictionary(c => c.Name, StringComparer.Ordinal);
        return new MatchModel
        {
            Comparisons = Comparisons.Select(c => byName.TryGetValue(c.Name, out var known) ? known
                : throw new InvalidOperationException($"stored model uses comparison '{c.Name}', which this version does not know")).ToArray(),
            Parameters = Comparisons.Select(c => new ComparisonParameters
            {
                Name = c.Name,
                Levels = c.Levels,
                M = c.M,
                U = c.U,
                URandom = c.URandom,
                ValueCounts = c.ValueCounts,
                Crowded = c.Crowded is { Length: > 0 } crowded ? crowded.ToHashSet(StringComparer.Ordinal) : null,
            }).ToArray(),
            Lambda = Lambda,
            TotalRecords = TotalRecords,
            EmIterations = EmIterations,
            NameAndBirthBits = NameAndBirthBits,
            LooserNameAndBirthBits = LooserNameAndBirthBits ?? [],
            MovedBits = MovedBits,
            NameAndPhoneBits = NameAndPhoneBits ?? [],
            NameAndHomeBits = NameAndHomeBits ?? [],
            AddressMoveBits = AddressMoveBits ?? [],
            Sanity = Sanity ?? ModelSanity.Passed,
            FittedBySessions = FittedBySessions,
            HomesShared = HomesShared,
            HomesOwn = HomesOwn,
            CandidateShareOfStrangers = CandidateShareOfStrangers,
        };
    }
}
