namespace PaduHub.Ingestion;

public enum FieldType { Text, Date, Money }
