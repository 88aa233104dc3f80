namespace PaduHub.Ingestion;

/// <summary>What one load did to the agency's source records, row by row.</summary>
sealed record LoadCounts(int RowsRead, int Inserted, int Updated, int Unchanged, int Withdrawn, int Deleted, int Rejected);
