namespace PaduHub.Ingestion;

public sealed record RejectedRow(long LineNumber, string? Field, string Reason);
