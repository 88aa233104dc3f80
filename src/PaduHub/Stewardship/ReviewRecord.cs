namespace PaduHub.Stewardship;

/// <summary>One side of a review item: a source record as its agency sent it, and the golden record it is in now.</summary>
public sealed record ReviewRecord(long SourceRecordId, string Agency, string SourceKey, long? GoldenId, string? FullName, DateOnly? DateOfBirth,
    string? IdNumber, string? Postcode);
