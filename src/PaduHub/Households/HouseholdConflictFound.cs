namespace PaduHub.Households;

/// <summary>Something formation would not decide by itself: it keeps the people apart and asks a steward.</summary>
public sealed record HouseholdConflictFound(string Kind, string SubjectKey, long[] GoldenIds, string Detail);
