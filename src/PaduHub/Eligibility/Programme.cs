using System.Text.Json;
using System.Text.Json.Serialization;

namespace PaduHub.Eligibility;

/// <summary>A programme file that cannot be used, with the file and the place in it.</summary>
public sealed class ProgrammeException(string message) : Exception(message);

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

public sealed class Tier
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("amount")] public decimal? Amount { get; init; }
    [JsonPropertyName("all")] public List<Condition> All { get; init; } = [];
}

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

public sealed class Programmes(IReadOnlyDictionary<string, Programme> byCode)
{
    public IEnumerable<Programme> All => byCode.Values.OrderBy(p => p.Code, StringComparer.Ordinal);

    public Programme? Find(string code) => byCode.GetValueOrDefault(code.Trim().ToUpperInvariant());

    /// <summary>The folder named by PADU_PROGRAMMES, else the programmes/ folder shipped beside the binaries.</summary>
    public static string DefaultFolder => Environment.GetEnvironmentVariable("PADU_PROGRAMMES") is { Length: > 0 } configured
        ? configured
        : Path.Combine(AppContext.BaseDirectory, "programmes");

    public static Programmes Load(string? folder = null)
    {
        folder ??= DefaultFolder;
        if (!Directory.Exists(folder))
        {
            throw new ProgrammeException($"no eligibility programmes: folder {folder} does not exist (set PADU_PROGRAMMES)");
        }
        var byCode = new Dictionary<string, Programme>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(folder, "*.programme.json").Order(StringComparer.Ordinal))
        {
            var programme = Programme.Parse(File.ReadAllText(file), Path.GetFileName(file));
            if (!byCode.TryAdd(programme.Code, programme))
            {
                throw new ProgrammeException($"{Path.GetFileName(file)}: a second programme with code {programme.Code}");
            }
        }
        return new Programmes(byCode);
    }
}
