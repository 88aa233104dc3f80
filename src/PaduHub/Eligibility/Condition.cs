using System.Text.Json;
using System.Text.Json.Serialization;

namespace PaduHub.Eligibility;

/// <summary>
/// One condition of a programme: a fact compared with a value, or a group of conditions of which all or any must
/// hold. A fact the hub does not have fails nothing by itself: the condition is "missing" unless the file says a
/// missing value passes (a spouse's income when there is no spouse) or fails.
/// </summary>
public sealed class Condition
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("fact")] public string? Fact { get; init; }
    [JsonPropertyName("op")] public string? Op { get; init; }
    [JsonPropertyName("value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public JsonElement Value { get; init; }
    [JsonPropertyName("missing")] public string? Missing { get; init; }
    [JsonPropertyName("all")] public List<Condition>? All { get; init; }
    [JsonPropertyName("any")] public List<Condition>? Any { get; init; }

    public string Text => Fact is not null ? $"{Fact} {Op} {Value.GetRawText()}"
        : All is not null ? "all of " + string.Join("; ", All.Select(c => c.Id ?? c.Text))
        : "any of " + string.Join("; ", Any!.Select(c => c.Id ?? c.Text));
}
