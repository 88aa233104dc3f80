using System.Text.Json.Serialization;

namespace PaduHub.Households;

/// <summary>One member's monthly income as the household counts it, and where it came from.</summary>
public sealed record IncomeSource(
    [property: JsonPropertyName("golden_id")] long GoldenId,
    [property: JsonPropertyName("monthly")] decimal Monthly,
    [property: JsonPropertyName("agency")] string? Agency,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("period")] string? Period,
    [property: JsonPropertyName("source_record_id")] long? SourceRecordId);
