namespace PaduHub.Stewardship;

/// <summary>A household question formation left to stewards (see <c>household_conflict</c>).</summary>
public sealed record HouseholdConflict(long Id, string Kind, long[] GoldenIds, string Detail, DateTime RaisedAt);
