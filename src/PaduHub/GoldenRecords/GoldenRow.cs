using System.Globalization;

namespace PaduHub.GoldenRecords;

/// <summary>One golden record as a run writes it: its new version, what changed, its survived attributes and its members.</summary>
sealed record GoldenRow(long Id, int Version, string Change, SortedDictionary<string, AttributeLineage> Attributes, long[] Members)
{
    public string? MyKad => Attributes.GetValueOrDefault("mykad")?.Value;
    public string? FullName => Attributes.GetValueOrDefault("full_name")?.Value;
    public DateOnly? DateOfBirth => Attributes.GetValueOrDefault("date_of_birth")?.Value is { } dob
        ? DateOnly.ParseExact(dob, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
    public string? Sex => Attributes.GetValueOrDefault("sex")?.Value;
    public string AttributesJson => GoldenRecords.AttributesJson.Write(Attributes);
}
