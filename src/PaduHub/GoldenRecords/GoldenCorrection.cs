namespace PaduHub.GoldenRecords;

/// <summary>A steward's correction in force over one golden attribute (see <c>golden_correction</c>).</summary>
public sealed record GoldenCorrection(long Id, long GoldenId, string Attribute, string Value, string? AgencyValue, string? Agency, string Steward,
    string Reason, DateTime CreatedAt);
