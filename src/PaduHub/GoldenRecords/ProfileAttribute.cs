using System.Text.Json.Serialization;

namespace PaduHub.GoldenRecords;

/// <summary>A golden attribute as a policy system sees it: the value, whether the authoritative agency holds it, whose it is and when.</summary>
public sealed record ProfileAttribute(
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("verified")] bool Verified,
    [property: JsonPropertyName("agency")] string Agency,
    [property: JsonPropertyName("as_of")] DateTime AsOf);
