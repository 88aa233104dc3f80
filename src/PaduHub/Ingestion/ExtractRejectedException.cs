namespace PaduHub.Ingestion;

/// <summary>A file that cannot be loaded at all: nothing from it is kept, and the receipt says why.</summary>
public sealed class ExtractRejectedException(string reason) : Exception(reason);
