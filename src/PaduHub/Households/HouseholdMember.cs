using System.Text.Json.Serialization;

namespace PaduHub.Households;

public sealed record HouseholdMember(
    [property: JsonPropertyName("person_id")] long PersonId,
    [property: JsonPropertyName("role")] string Role);
