using System.Text.Json.Serialization;

namespace PaduHub.Eligibility;

public sealed record EligibilityAnswer(
    [property: JsonPropertyName("programme")] string Programme,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("person_id")] long? PersonId,
    [property: JsonPropertyName("household_id")] long? HouseholdId,
    [property: JsonPropertyName("redirected_from")] long? RedirectedFrom,
    [property: JsonPropertyName("decision")] string Decision,
    [property: JsonPropertyName("tier")] string? Tier,
    [property: JsonPropertyName("amount")] decimal? Amount,
    [property: JsonPropertyName("unit")] string? Unit,
    [property: JsonPropertyName("rules")] IReadOnlyList<RuleOutcome> Rules,
    [property: JsonPropertyName("checked_at")] DateTime CheckedAt)
{
    /// <summary>The same answer with income values withheld, for a client not entitled to see income.</summary>
    public EligibilityAnswer WithoutIncome() =>
        this with { Rules = Rules.Select(r => r.Income && r.Value is not null ? r with { Value = "withheld" } : r).ToList() };
}
