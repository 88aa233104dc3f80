using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace PaduHub.Ingestion;

/// <summary>
/// An agency's extract layout, read from samples/agencies/CODE.contract.json (or the configured folder):
/// encoding, delimiter, key, which columns fill which canonical fields with which rules, how delta files are
/// named and marked, and what the agency is authoritative for. Adding an agency is adding a file.
/// </summary>
public sealed record AgencyContract
{
    public required string Agency { get; init; }
    public required string Name { get; init; }
    /// <summary>utf-8 (a BOM is allowed) or windows-1252.</summary>
    public required string Encoding { get; init; }
    public required string Delimiter { get; init; }
    public required string[] Key { get; init; }
    /// <summary>The identity document type when no column says it (JPN: MYKAD); otherwise inferred from the number's shape.</summary>
    public string? IdType { get; init; }
    public required string FullFile { get; init; }
    public required string DeltaFile { get; init; }
    public DeltaColumns Delta { get; init; } = new();
    public string[] AuthoritativeFor { get; init; } = [];
    public required ContractColumn[] Columns { get; init; }

    [JsonIgnore]
    public char Separator => Delimiter == "\\t" ? '\t' : Delimiter[0];

    Encoding? _textEncoding;

    /// <summary>The encoding named by <see cref="Encoding"/>; built once, it is consulted for every row.</summary>
    [JsonIgnore]
    public Encoding TextEncoding => _textEncoding ??= Encoding.ToLowerInvariant() switch
    {
        "utf-8" or "utf8" => new UTF8Encoding(false),
        "windows-1252" or "cp1252" => CodePages(1252),
        _ => throw new ContractException($"{Agency}: encoding '{Encoding}' is not supported (utf-8, windows-1252)"),
    };

    static Encoding CodePages(int codePage)
    {
        System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return System.Text.Encoding.GetEncoding(codePage);
    }

    /// <summary>Full or delta, and the delta's sequence number, from the file name; null if the name fits neither.</summary>
    public (string Kind, int? Sequence)? Classify(string fileName)
    {
        if (Regex.IsMatch(fileName, FullFile, RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)))
        {
            return (ExtractKind.Full, null);
        }
        var delta = Regex.Match(fileName, DeltaFile, RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
        return delta.Success && int.TryParse(delta.Groups["sequence"].Value, System.Globalization.CultureInfo.InvariantCulture, out var seq)
            ? (ExtractKind.Delta, seq)
            : null;
    }

    static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static AgencyContract Parse(string json, string source)
    {
        AgencyContract contract;
        try
        {
            contract = JsonSerializer.Deserialize<AgencyContract>(json, s_json) ?? throw new ContractException($"{source}: empty contract");
        }
        catch (JsonException e)
        {
            throw new ContractException($"{source}: not a valid contract: {e.Message}");
        }
        contract.Check(source);
        return contract;
    }

    void Check(string source)
    {
        if (!Regex.IsMatch(Agency, "^[A-Z][A-Z0-9_]{1,15}$"))
        {
            throw new ContractException($"{source}: agency code '{Agency}' must be 2-16 upper-case letters, digits or _");
        }
        _ = TextEncoding;
        if (Delimiter.Length != 1 && Delimiter != "\\t")
        {
            throw new ContractException($"{source}: delimiter must be one character (or \\t)");
        }
        var names = Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var key in Key.Where(k => !names.Contains(k)))
        {
            throw new ContractException($"{source}: key column '{key}' is not among the columns");
        }
        foreach (var column in Columns)
        {
            if (column.Field is { } field && !field.StartsWith("extra:", StringComparison.Ordinal) && CanonicalField.IndexOf(field) < 0)
            {
                throw new ContractException($"{source}: column {column.Name} maps to unknown field '{field}'");
            }
            if (column.Rule is not ("text" or "mykad" or "date" or "money" or "postcode" or "phone" or "code"))
            {
                throw new ContractException($"{source}: column {column.Name} has unknown rule '{column.Rule}'");
            }
            if (column.Rule == "date" && column.Formats.Length == 0)
            {
                throw new ContractException($"{source}: date column {column.Name} needs formats");
            }
            if (column.Rule == "code" && column.Values is null)
            {
                throw new ContractException($"{source}: code column {column.Name} needs values");
            }
        }
    }
}
