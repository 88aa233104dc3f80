namespace PaduHub.Matching;

/// <summary>
/// A name taken apart the way Malaysian names are built (docs/domain.md, names): the person's own names, the
/// connector (BIN, BINTI, A/L, A/P, ANAK) and the father's name after it, with titles stripped and spelling
/// variants folded to one canonical form (MOHD, MOHAMAD -> MUHAMMAD; ABD -> ABDUL; NOR, NOOR -> NUR).
/// </summary>
public sealed record NormalisedName(
    IReadOnlyList<string> Own,
    string? Connector,
    IReadOnlyList<string> Father,
    IReadOnlyList<string> Titles,
    IReadOnlyList<string> SurnameClans)
{
    /// <summary>Own names then father's, canonical, space-separated: the form to compare whole names on.</summary>
    public string Full => string.Join(' ', Own.Concat(Father));

    /// <summary>The same tokens sorted: survives "TAN WEI MING" against "WEI MING TAN".</summary>
    public string Sorted => string.Join(' ', Own.Concat(Father).Order(StringComparer.Ordinal));

    public bool IsEmpty => Own.Count == 0 && Father.Count == 0;
}
