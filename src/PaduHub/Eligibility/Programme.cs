using System.Text.Json;
using System.Text.Json.Serialization;

namespace PaduHub.Eligibility;

/// <summary>
/// An eligibility programme as data (samples/programmes/*.programme.json): what it is about (a person or a
/// household), what every applicant must meet, and tiers tried in order; the first tier met gives the amount.
/// </summary>
public sealed class Programme
{
    [JsonPropertyName("code")] public string Code { get; init; } = "";
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("subject")] public string Subject { get; init; } = "";
    [JsonPropertyName("source")] public string? Source { get; init; }
    [JsonPropertyName("note")] public string? Note { get; init; }
    [JsonPropertyName("unit")] public string? Unit { get; init; }
    [JsonPropertyName("requires")] public List<Condition> Requires { get; init; } = [];
    [JsonPropertyName("tiers")] public List<Tier> Tiers { get; init; } = [];

    static readonly HashSet<string> s_ops = ["==", "!=", "<", "<=", ">", ">=", "in"];

    public static Programme Parse(string json, string fileName)
    {
        Programme? programme;
        try
        {
            programme = JsonSerializer.Deserialize<Programme>(json, new JsonSerializerOptions
            {
                ReadCommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
                UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow
            });
        }
        catch (JsonException e)
        {
            throw new ProgrammeException($"{fileName}: not a valid programme: {e.Message}");
        }
        if (programme is null || !System.Text.RegularExpressions.Regex.IsMatch(programme.Code, "^[A-Z0-9_]{2,40}$"))
        {
            throw new ProgrammeException($"{fileName}: code must be 2 to 40 capital letters, digits or '_'");
        }
        if (programme.Subject is not ("person" or "household"))
        {
            throw new ProgrammeException($"{fileName}: subject must be person or household, not '{programme.Subject}'");
        }
        if (programme.Tiers.Count == 0)
        {
            throw new ProgrammeException($"{fileName}: a programme needs at least one tier (a tier with no conditions pays everyone who meets 'requires')");
        }
        foreach (var (condition, where) in programme.Requires.Select((c, i) => (c, $"requires[{i}]"))
                     .Concat(programme.Tiers.SelectMany((t, i) => t.All.Select((c, j) => (c, $"tiers[{i}].all[{j}]")))))
        {
            Check(condition, where, fileName);
        }
        return programme;
    }

    static void Check(Condition condition, string where, string fileName)
    {
        var shapes = (condition.Fact is not null ? 1 : 0) + (condition.All is not null ? 1 : 0) + (condition.Any is not null ? 1 : 0);
        if (shapes != 1)
        {
            throw new ProgrammeException($"{fileName}: {where}: a condition has exactly one of fact, all or any");
        }
        if (condition.Fact is { } fact)
        {
            if (!Facts.Known.Contains(fact))
            {
                throw new ProgrammeException($"{fileName}: {where}: unknown fact '{fact}'; known facts: {string.Join(", ", Facts.Known.Order(StringComparer.Ordinal))}");
            }
            if (condition.Op is null || !s_ops.Contains(condition.Op))
            {
                throw new ProgrammeException($"{fileName}: {where}: op must be one of {string.Join(" ", s_ops)}");
            }
            if (condition.Value.ValueKind == JsonValueKind.Undefined)
            {
                throw new ProgrammeException($"{fileName}: {where}: a value to compare {fact} with is needed");
            }
            if (condition.Missing is not (null or "pass" or "fail"))
            {
                throw new ProgrammeException($"{fileName}: {where}: missing must be pass or fail");
            }
        }
        foreach (var (child, i) in (condition.All ?? condition.Any ?? []).Select((c, i) => (c, i)))
        {
            Check(child, $"{where}.{(condition.All is not null ? "all" : "any")}[{i}]", fileName);
        }
    }
}
