using System.Text.Json;
using System.Text.Json.Serialization;

namespace PaduHub.Households;

public sealed record HouseholdIncomeView(
    [property: JsonPropertyName("monthly")] decimal Monthly,
    [property: JsonPropertyName("per_capita")] decimal PerCapita,
    [property: JsonPropertyName("group")] string? Group,
    [property: JsonPropertyName("threshold_year")] int? ThresholdYear,
    [property: JsonPropertyName("sources")] JsonElement Sources);
