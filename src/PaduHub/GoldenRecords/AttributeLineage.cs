using System.Text.Json.Serialization;

namespace PaduHub.GoldenRecords;

/// <summary>One golden attribute and where it came from.</summary>
public sealed record AttributeLineage(
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("agency")] string Agency,
    [property: JsonPropertyName("source_record_id")] long SourceRecordId,
    [property: JsonPropertyName("version_id")] long VersionId,
    [property: JsonPropertyName("extract_id")] long ExtractId,
    [property: JsonPropertyName("at")] DateTime At,
    [property: JsonPropertyName("verified")] bool Verified)
{
    /// <summary>Set when a steward's correction stands in for the survived value (agency "STEWARD").</summary>
    [JsonPropertyName("correction_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? CorrectionId { get; init; }

    [JsonPropertyName("corrected_by"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CorrectedBy { get; init; }

    /// <summary>Whose value the correction stands over, e.g. "JPN record 42".</summary>
    [JsonPropertyName("replaces"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Replaces { get; init; }
}
