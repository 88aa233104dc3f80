using System.Text.Json.Serialization;

namespace PaduHub.Households;

/// <summary>One member's monthly income as the household counts it, and where it came from.</summary>
public sealed record IncomeSource(
    [property: JsonPropertyName("golden_id")] long GoldenId,
    [property: JsonPropertyName("monthly")] decimal Monthly,
    [property: JsonPropertyName("agency")] string? Agency,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("period")] string? Period,
    [property: JsonPropertyName("source_record_id")] long? SourceRecordId);

/// <summary>What agencies say a person earns, before one figure is chosen.</summary>
public sealed class IncomeEvidence
{
    public (decimal Monthly, string Month, long SourceRecordId)? PensionWage { get; set; }
    public (decimal Annual, string Year, long SourceRecordId)? TaxAssessed { get; set; }
    public (decimal Monthly, DateTime At, long SourceRecordId)? Declared { get; set; }

    /// <summary>
    /// The pension fund's last monthly wage is the freshest and is a monthly figure already; the tax board's
    /// assessment (employment and other income for a year, bonuses included) stands in when there is no wage; a
    /// welfare declaration is the last resort. No record at all counts as no income, and says so.
    /// </summary>
    public IncomeSource Choose(long goldenId) =>
        PensionWage is { } w ? new(goldenId, w.Monthly, "KWSP", "pension_wage", w.Month, w.SourceRecordId)
        : TaxAssessed is { } t ? new(goldenId, Math.Round(t.Annual / 12m, 2), "LHDN", "tax_assessment", t.Year, t.SourceRecordId)
        : Declared is { } d ? new(goldenId, d.Monthly, "JKM", "declared", d.At.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), d.SourceRecordId)
        : new(goldenId, 0m, null, "none", null, null);

    /// <summary>
    /// Tax and pension data disagree when a year's assessed income is under ten months of wages (income hidden
    /// from the tax board) or over twice a year's wages (income the pension fund does not see). Bonuses and a
    /// second job fall in between.
    /// </summary>
    public bool Disagrees => PensionWage is { } w && TaxAssessed is { } t && w.Monthly > 0 && (t.Annual < w.Monthly * 10 || t.Annual > w.Monthly * 24);
}

/// <summary>DOSM household income groups by gross monthly household income (docs/domain.md, income groups).</summary>
public static class IncomeGroups
{
    /// <summary>Survey year -> highest B40 income and lowest T20 income, RM a month.</summary>
    static readonly SortedDictionary<int, (decimal B40Max, decimal T20Min)> s_dosm = new()
    {
        [2022] = (5_249m, 11_820m),
        [2024] = (5_858m, 12_680m),
    };

    public const int DefaultYear = 2024;

    public static IReadOnlyCollection<int> Years => s_dosm.Keys;

    public static string Of(decimal monthlyHouseholdIncome, int year)
    {
        if (!s_dosm.TryGetValue(year, out var t))
        {
            throw new ArgumentException($"no DOSM income thresholds for {year}; known years: {string.Join(", ", s_dosm.Keys)}", nameof(year));
        }
        return monthlyHouseholdIncome <= t.B40Max ? "B40" : monthlyHouseholdIncome < t.T20Min ? "M40" : "T20";
    }
}
