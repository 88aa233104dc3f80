namespace PaduHub.Ingestion;

/// <summary>The request itself is wrong (unknown agency, a file name that is neither full nor delta): no receipt.</summary>
public sealed class ExtractRequestException(string message) : Exception(message);
