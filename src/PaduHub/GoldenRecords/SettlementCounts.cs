namespace PaduHub.GoldenRecords;

/// <summary>How many golden records a run created, changed (a new version) and retired or withdrew.</summary>
sealed record SettlementCounts(int Created, int Changed, int Retired);
