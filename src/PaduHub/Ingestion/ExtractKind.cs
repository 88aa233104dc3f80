namespace PaduHub.Ingestion;

/// <summary>
/// What an extract is, as stored in <c>extract.kind</c> and shown on receipts: a snapshot of everything the agency
/// holds, or the changes since its last delta.
/// </summary>
public static class ExtractKind
{
    public const string Full = "full";
    public const string Delta = "delta";
}
