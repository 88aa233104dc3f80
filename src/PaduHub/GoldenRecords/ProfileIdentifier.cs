using System.Text.Json.Serialization;

namespace PaduHub.GoldenRecords;

public sealed record ProfileIdentifier(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("agencies")] string[] Agencies);
