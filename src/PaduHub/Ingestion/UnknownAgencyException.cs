namespace PaduHub.Ingestion;

public sealed class UnknownAgencyException(string message) : Exception(message);
