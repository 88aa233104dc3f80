namespace PaduHub.Ingestion;

/// <summary>A file to load. Kind and sequence come from the file name by the contract unless given.</summary>
public sealed record ExtractRequest(string AgencyCode, string FilePath, string FileName, string ReceivedVia)
{
    public string? Kind { get; init; }
    public int? Sequence { get; init; }

    /// <summary>The date the agency says its data describes, when it says one.</summary>
    public DateOnly? AsOf { get; init; }
}
