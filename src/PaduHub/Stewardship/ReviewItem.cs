using System.Text.Json;

namespace PaduHub.Stewardship;

/// <summary>
/// A doubtful pair waiting for a steward, with why it scored what it did. <paramref name="RegisteredApart"/>: the
/// registration department holds the two sides as two people (two MyKads), so only a supervisor may merge them.
/// </summary>
public sealed record ReviewItem(long SourceA, long SourceB, double Weight, double Probability, string Reason, JsonElement Fields, DateTime QueuedAt,
    int HouseholdImpact, string? ClaimedBy, string? DeferredBy, string? Note, ReviewRecord A, ReviewRecord B, bool RegisteredApart = false);
