namespace PaduHub.Ingestion;

/// <summary>One row of an extract on its way to the staging table: loaded, or rejected with where and why.</summary>
public sealed class StagedRow
{
    public long Line { get; init; }
    public string? Key { get; init; }
    public char Op { get; init; }
    public int Seq { get; init; }
    public byte[]? Hash { get; set; }
    public object?[] Values { get; } = new object?[CanonicalField.All.Length];
    public string? ExtraJson { get; set; }
    public List<string>? Issues { get; set; }
    public string? RejectField { get; init; }
    public string? RejectReason { get; init; }
    public string? RawLine { get; init; }
    public int RawLength { get; init; }

    public bool Rejected => RejectReason is not null;

    /// <summary>Same key and same values as the record's current version: nothing to write but the key.</summary>
    public bool Unchanged { get; set; }
}
