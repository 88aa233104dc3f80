using System.Text.Json.Serialization;

namespace PaduHub.Eligibility;

public sealed class Tier
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("amount")] public decimal? Amount { get; init; }
    [JsonPropertyName("all")] public List<Condition> All { get; init; } = [];
}
