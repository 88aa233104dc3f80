namespace PaduHub.Households;

/// <summary>What a household run did: households formed, created, changed, retired, dissolved, conflicts raised.</summary>
public sealed record HouseholdRunReport(int Households, int Created, int Changed, int Retired, int Dissolved, int Conflicts, long Milliseconds);
