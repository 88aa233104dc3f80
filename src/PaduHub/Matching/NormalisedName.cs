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
    public string Full => (Own.Count + Father.Count) switch
    {
        0 => "",
        1 => Own.Count == 1 ? Own[0] : Father[0],
        _ => string.Create(Length(Own) + Length(Father) - 1, this, static (span, name) =>
        {
            var (at, first) = (0, true);
            foreach (var words in (ReadOnlySpan<IReadOnlyList<string>>)[name.Own, name.Father])
            {
                for (var i = 0; i < words.Count; i++)
                {
                    if (!first)
                    {
                        span[at++] = ' ';
                    }
                    first = false;
                    words[i].CopyTo(span[at..]);
                    at += words[i].Length;
                }
            }
        }),
    };

    /// <summary>The words' characters and a space after each.</summary>
    static int Length(IReadOnlyList<string> words)
    {
        var length = 0;
        for (var i = 0; i < words.Count; i++)
        {
            length += words[i].Length + 1;
        }
        return length;
    }

    /// <summary>The same tokens sorted: survives "TAN WEI MING" against "WEI MING TAN".</summary>
    public string Sorted => string.Join(' ', Own.Concat(Father).Order(StringComparer.Ordinal));

    public bool IsEmpty => Own.Count == 0 && Father.Count == 0;
}
