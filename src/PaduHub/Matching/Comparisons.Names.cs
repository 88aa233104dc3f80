namespace PaduHub.Matching;

/// <summary>How two records' names compare: given name and surname each, or the whole name word against word.</summary>
public static partial class Comparisons
{
    /// <summary>
    /// FEBRL-style slips put the surname in the given-name field and back: when the crossed names agree better than the
    /// straight ones, both name comparisons compare them crossed.
    /// </summary>
    static bool Swapped(MatchRecord a, MatchRecord b)
    {
        if (a.Given is null || a.Family is null || b.Given is null || b.Family is null || a.Given == b.Given || a.Family == b.Family)
        {
            return false;
        }
        var crossed = Similarity.JaroWinkler(a.Given, b.Family) + Similarity.JaroWinkler(a.Family, b.Given);
        return crossed >= 1.84 && crossed > Similarity.JaroWinkler(a.Given, b.Given) + Similarity.JaroWinkler(a.Family, b.Family);
    }

    static int NameLevel(string? a, string? b, (string[] A, string[] B)? clans)
    {
        if (a is null || b is null)
        {
            return Missing;
        }
        if (a == b)
        {
            return 3;
        }
        var jw = Similarity.JaroWinkler(a, b);
        if (jw >= 0.92)
        {
            return 2;
        }
        if (jw >= 0.80 || (clans is { } c && c.A.Length > 0 && c.A.Intersect(c.B).Any()))
        {
            return 1;
        }
        return 0;
    }

    /// <summary>
    /// Whole names, word by word (<see cref="NameAlignment"/>): every word paired is the same name spelled differently
    /// (a slip, an initial, MOHD for MUHAMMAD, TAN for CHEN, words reordered); all of the shorter name's words paired,
    /// at least two, is a name part more or less (a dropped patronym, an added English given name); overlapping words
    /// share some. Alike through the father's or the family's name only, with own names that differ, is two people.
    /// </summary>
    static int FullNameLevel(MatchRecord a, MatchRecord b)
    {
        if (a.FullName is null || b.FullName is null)
        {
            return Missing;
        }
        if (a.FullName == b.FullName)
        {
            return 5;
        }
        if (NameAlignment.SameLettersSpacedApart(a.FullName, b.FullName))
        {
            return 4; // JUNHAO for JUN HAO, a slipped space in CHE WLAN for CHEW LAN
        }
        var (paired, na, nb) = NameAlignment.Align(a, b);
        if (paired == na && paired == nb && paired > 0)
        {
            return 4;
        }
        var alike = paired >= 2 && paired == Math.Min(na, nb) || OwnNameAlone(a, b) || OwnNameAlone(b, a) ? 3
            : paired >= 2 || Similarity.MayReachJaroWinkler(a.FullName, a.FullNameCharacters, b.FullName, b.FullNameCharacters, 0.88)
                && Similarity.JaroWinkler(a.FullName, b.FullName) >= 0.88
                || (a.NameTokenBits & b.NameTokenBits) != 0 && SharesToken(a.NameTokens, b.NameTokens)
                && Similarity.TokenSetRatio(a.FullName, a.FullNameWords, b.FullName, b.FullNameWords) >= 85 ? 2
            : 0;
        if (alike < 3 && (Converted(a, b) || Converted(b, a)))
        {
            return 1;
        }
        return alike > 0 && (OwnNames.Differ(a, b) || OnlyTheFather(a, b) || OnlyTheFather(b, a)) ? 0 : alike;
    }

    /// <summary>
    /// Whether one record's name is the other's English given name and surname, spelled alike (IRENE NG for NG PEI KIT;
    /// not SHARON LIEW for LAU JUN SENG, which the clan alone makes one surname).
    /// </summary>
    internal static bool EnglishNameOf(MatchRecord a, MatchRecord b)
    {
        var (two, whole) = a.NameTokens.Length == 2 ? (a, b) : (b, a);
        return a.Connector is null && b.Connector is null && two.NameTokens.Length == 2 && whole.NameTokens.Length >= 3
            && (two.NameTokens[1] == whole.NameTokens[0] || two.NameTokens[1] == whole.NameTokens[^1])
            && !whole.NameTokens.Contains(two.NameTokens[0], StringComparer.Ordinal);
    }

    /// <summary>
    /// A convert's new name beside the old: a Muslim name whose father is ABDULLAH (with BIN or BINTI, or written
    /// straight after the own names) against a name that is marked as not Malay (A/L, A/P or ANAK, a Chinese surname) or
    /// that the new name keeps a word of (MUHAMMAD ASYRAF NEO BIN ABDULLAH for NEO MEI YAN, MUHAMMAD ARIFF GOMES for PAUL
    /// GOMES). A name change, not another person: the model weighs the level as it finds it, and the household's
    /// address counts for it where the birth dates agree (<see cref="MatchModel"/>'s household rule).
    /// </summary>
    internal static bool Converted(MatchRecord convert, MatchRecord other)
    {
        if (convert.FullName is null || other.FullName is null)
        {
            return false;
        }
        var fatherAbdullah = convert.Connector is "BIN" or "BINTI" ? convert.PatronymTokens is [var father] && IsAbdullah(father)
            : convert.Connector is null && convert.NameTokens.Length >= 2 && convert.FullName.EndsWith(" ABDULLAH", StringComparison.Ordinal);
        if (!fatherAbdullah || other.Connector is "BIN" or "BINTI" || Array.IndexOf(other.NameTokens, "ABDULLAH") >= 0)
        {
            return false;
        }
        return other.Connector is "A/L" or "A/P" or "ANAK" || other.SurnameClans.Length > 0 || KeepsAWordOf(convert, other);
    }

    /// <summary>ABDULLAH, or ABDULLAH with one slip (ABULLAH, ABDULAH, ABDULLA): the name every convert's father is given.</summary>
    static bool IsAbdullah(string word) =>
        word == "ABDULLAH" || word.Length >= 7 && (Similarity.WithinOneEdit(word, "ABDULLAH") || Similarity.IsTransposition(word, "ABDULLAH"));

    /// <summary>
    /// Whether the convert's own name, after its first word, keeps a word of the other name: the same word, or the same
    /// word as another clerk wrote it (TIONG kept from a name another agency spelled TEO, one surname in two dialects).
    /// </summary>
    internal static bool KeepsAWordOf(MatchRecord convert, MatchRecord other)
    {
        var own = convert.Connector is null ? convert.NameTokens.AsSpan(0, convert.NameTokens.Length - 1) : convert.OwnTokens.AsSpan();
        for (var i = 1; i < own.Length; i++)
        {
            if (own[i].Length <= 1)
            {
                continue;
            }
            foreach (var word in other.NameTokens)
            {
                if (word.Length > 1 && (word == own[i] || NameAlignment.Alike(own[i], word)))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>
    /// One side is the other's own name and nothing else: SELVAM for SELVAM A/L RAVI, the father's name dropped as a
    /// utility account often has it. Only a whole own name of one word counts; NABILA is not NUR NABILA BINTI HAFIZ.
    /// </summary>
    static bool OwnNameAlone(MatchRecord alone, MatchRecord whole) =>
        alone.PatronymTokens.Length == 0 && alone.NameTokens.Length == 1 && whole.PatronymTokens.Length > 0
        && whole.OwnTokens is [var own] && string.Equals(own, alone.NameTokens[0], StringComparison.Ordinal);

    /// <summary>
    /// A name without a patronym whose words all miss the other's own name and meet its father's: ABDUL LATIF on a
    /// utility account at NUR FARIDAH BINTI ABDUL LATIF's address is her father, not a name part of hers. So is the
    /// father's whole name of two words or more that the own name shares only a word of (KHALID FIRDAUS beside MUHAMMAD
    /// FIRDAUS BIN KHALID FIRDAUS).
    /// </summary>
    static bool OnlyTheFather(MatchRecord plain, MatchRecord marked) =>
        plain.PatronymTokens.Length == 0 && marked.PatronymTokens.Length > 0 && marked.OwnTokens.Length > 0
        && (NameAlignment.Align(plain.NameTokens, marked.OwnTokens).Paired, NameAlignment.Align(plain.NameTokens, marked.PatronymTokens).Paired) is var (own, father)
        && (own == 0 && father > 0 || father == plain.NameTokens.Length && father >= 2 && own < father);

    static bool SharesToken(string[] a, string[] b)
    {
        foreach (var t in a)
        {
            if (Array.IndexOf(b, t) >= 0)
            {
                return true;
            }
        }
        return false;
    }
}
