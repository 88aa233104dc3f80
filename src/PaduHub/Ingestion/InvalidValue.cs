namespace PaduHub.Ingestion;

/// <summary>What to do with a value that breaks its column's rule.</summary>
public enum InvalidValue
{
    /// <summary>The row is not loaded; it goes to rejected_row with the field and the reason.</summary>
    Reject,
    /// <summary>The row loads without this value; the version's issues say which field and why.</summary>
    Flag,
}
