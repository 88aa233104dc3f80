namespace PaduHub.Ingestion;

/// <summary>Where an extract stands, as stored in <c>extract.status</c> and shown on receipts.</summary>
public static class ExtractStatus
{
    /// <summary>Received and waiting to load (or loading).</summary>
    public const string Queued = "queued";

    /// <summary>A delta that arrived before its predecessor; applied when the gap is filled.</summary>
    public const string Held = "held";

    public const string Loaded = "loaded";

    /// <summary>Refused whole, with the reason on the receipt; nothing of it was loaded.</summary>
    public const string Rejected = "rejected";
}
