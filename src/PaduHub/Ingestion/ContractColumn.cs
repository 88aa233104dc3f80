namespace PaduHub.Ingestion;

/// <summary>One column of an agency's layout and the canonical field it fills.</summary>
public sealed record ContractColumn
{
    public required string Name { get; init; }
    /// <summary>A canonical field (id_number, full_name, ...) or extra:name for one kept in the extra json.</summary>
    public string? Field { get; init; }
    /// <summary>text, mykad, date, money, postcode, phone, code.</summary>
    public string Rule { get; init; } = "text";
    public bool Required { get; init; }
    public InvalidValue Invalid { get; init; } = InvalidValue.Flag;
    public int MaxLength { get; init; } = 200;
    /// <summary>Date formats, tried in order.</summary>
    public string[] Formats { get; init; } = [];
    /// <summary>For rule code: the agency's values and what they mean; a value not listed is invalid.</summary>
    public Dictionary<string, string>? Values { get; init; }
}
