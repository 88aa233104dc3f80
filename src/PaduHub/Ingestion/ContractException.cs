namespace PaduHub.Ingestion;

public sealed class ContractException(string message) : Exception(message);
