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

    /// <summary>
    /// The condition in words, for a programme file that gives no description: "person.alive == true" reads "the
    /// person is alive", "person.age >= 16" "the person's age is at least 16".
    /// </summary>
    public string Words
    {
        get
        {
            if (Fact is null)
            {
                return (All is not null ? "all of: " : "any of: ") + string.Join("; ", (All ?? Any)!.Select(c => c.Description ?? c.Words));
            }
            var dot = Fact.IndexOf('.', StringComparison.Ordinal);
            var (whose, what) = dot > 0 ? (Fact[..dot], Fact[(dot + 1)..].Replace('_', ' ')) : ("", Fact.Replace('_', ' '));
            var subject = whose.Length == 0 ? "" : $"the {whose}";
            var value = Value.ValueKind switch
            {
                JsonValueKind.Number => Value.GetDecimal().ToString("#,0.##", System.Globalization.CultureInfo.InvariantCulture),
                JsonValueKind.String => Value.GetString(),
                _ => Value.GetRawText(),
            };
            // A yes-or-no fact reads as the quality itself: "the person is alive", "the household is not ...".
            if (Value.ValueKind is JsonValueKind.True or JsonValueKind.False && Op is "==" or "!=")
            {
                var holds = (Value.ValueKind == JsonValueKind.True) == (Op == "==");
                var quality = what.StartsWith("has ", StringComparison.Ordinal)
                    ? (holds ? what : "has no " + what[4..])
                    : (holds ? "is " : "is not ") + what;
                return $"{subject} {quality}".Trim();
            }
            var comparison = Op switch
            {
                "==" => "is",
                "!=" => "is not",
                ">=" => "is at least",
                "<=" => "is at most",
                ">" => "is more than",
                "<" => "is less than",
                _ => Op,
            };
            return $"{(subject.Length == 0 ? "" : subject + "'s ")}{what} {comparison} {value}".Trim();
        }
    }
}
