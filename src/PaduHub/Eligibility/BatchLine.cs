using System.Text.Json.Serialization;

namespace PaduHub.Eligibility;

/// <summary>One line of a streamed batch: the id asked about, and its answer or why there is none.</summary>
public sealed record BatchLine(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("answer"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EligibilityAnswer? Answer,
    [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);
