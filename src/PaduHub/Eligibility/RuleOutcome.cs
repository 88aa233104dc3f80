using System.Text.Json.Serialization;

namespace PaduHub.Eligibility;

/// <summary>One rule as it was checked: pass, fail or missing, with the value used and how fresh it was.</summary>
public sealed record RuleOutcome(
    [property: JsonPropertyName("rule")] string Rule,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("part")] string Part,
    [property: JsonPropertyName("result")] string Result,
    [property: JsonPropertyName("fact")] string? Fact,
    [property: JsonPropertyName("value")] object? Value,
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("as_of")] DateTime? AsOf,
    [property: JsonIgnore] bool Income);
