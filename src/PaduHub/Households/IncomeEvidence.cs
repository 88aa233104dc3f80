namespace PaduHub.Households;

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
