using System.Text.Json.Serialization;

namespace PaduHub.GoldenRecords;

/// <summary>
/// A golden attribute as a policy system sees it, the same shape for a person's and a household's: the value, whether
/// the authoritative agency holds it, whose it is, the date that agency said its data describes (null when it said
/// none), and when the hub loaded it. A steward's correction names the steward.
/// </summary>
public sealed record ProfileAttribute(
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("verified")] bool Verified,
    [property: JsonPropertyName("agency")] string Agency,
    [property: JsonPropertyName("as_of")] DateOnly? AsOf,
    [property: JsonPropertyName("loaded_at")] DateTime LoadedAt)
{
    [JsonPropertyName("corrected_by"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CorrectedBy { get; init; }

    public static ProfileAttribute Of(AttributeLineage lineage, Func<long, DateOnly?> extractDates) =>
        new(lineage.Value, lineage.Verified, lineage.Agency, lineage.CorrectionId is null ? extractDates(lineage.ExtractId) : null,
            DateTime.SpecifyKind(lineage.At, DateTimeKind.Utc))
        { CorrectedBy = lineage.CorrectedBy };
}
