namespace PaduHub.Matching;

/// <summary>
/// Two names word against word: how many words of each find a partner in the other, each partner used once. A word's
/// partner is the same word, or the same word spelled by another clerk: one slip or a swap of neighbours, its initial,
/// a shortened form (NUR for NURUL), a dialect romanisation of one Chinese surname (TAN, CHAN, CHEN). Word order does
/// not matter: Chinese names are written surname first or last, and agencies move an English given name about.
/// </summary>
public static class NameAlignment
{
    /// <summary>
    /// Two records' whole names: when both set the father's name apart (BIN, A/L, ANAK), own names pair with own names and
    /// patronyms with patronyms, so a father's name never stands in for a child's (JUGAH BIN JAIMIN, JAIMIN JUGAH ANAK
    /// MICHAEL); otherwise every word with every word.
    /// </summary>
    public static (int Paired, int A, int B) Align(MatchRecord a, MatchRecord b)
    {
        if (a.PatronymTokens.Length == 0 || b.PatronymTokens.Length == 0)
        {
            return Align(a.NameTokens, b.NameTokens);
        }
        var own = Align(a.OwnTokens, b.OwnTokens);
        var father = Align(a.PatronymTokens, b.PatronymTokens);
        return (own.Paired + father.Paired, own.A + father.A, own.B + father.B);
    }

    /// <summary>How many words were paired, out of each side's count. Names longer than 16 words are cut to 16.</summary>
    public static (int Paired, int A, int B) Align(string[] a, string[] b)
    {
        var (na, nb) = (Math.Min(a.Length, 16), Math.Min(b.Length, 16));
        int usedA = 0, usedB = 0, paired = 0;
        // The same word first, so a slip never takes a word that has its exact partner elsewhere.
        for (var i = 0; i < na; i++)
        {
            for (var j = 0; j < nb; j++)
            {
                if ((usedB & 1 << j) == 0 && string.Equals(a[i], b[j], StringComparison.Ordinal))
                {
                    usedA |= 1 << i;
                    usedB |= 1 << j;
                    paired++;
                    break;
                }
            }
        }
        for (var i = 0; i < na; i++)
        {
            if ((usedA & 1 << i) != 0)
            {
                continue;
            }
            for (var j = 0; j < nb; j++)
            {
                if ((usedB & 1 << j) == 0 && Alike(a[i], b[j]))
                {
                    usedB |= 1 << j;
                    paired++;
                    break;
                }
            }
        }
        return (paired, na, nb);
    }

    /// <summary>Whether two names have the same letters in the same order and differ only in where the spaces fall.</summary>
    public static bool SameLettersSpacedApart(string a, string b)
    {
        int i = 0, j = 0;
        while (true)
        {
            while (i < a.Length && a[i] == ' ')
            {
                i++;
            }
            while (j < b.Length && b[j] == ' ')
            {
                j++;
            }
            if (i == a.Length || j == b.Length)
            {
                return i == a.Length && j == b.Length;
            }
            if (a[i++] != b[j++])
            {
                return false;
            }
        }
    }

    /// <summary>Two different words that may be one name written two ways.</summary>
    public static bool Alike(string x, string y)
    {
        if (x.Length == 1 || y.Length == 1)
        {
            return x[0] == y[0]; // an initial
        }
        var shorter = Math.Min(x.Length, y.Length);
        if (shorter <= 6 && SameClan(x, y))
        {
            return true;
        }
        var sameFirst = x[0] == y[0];
        if (sameFirst && shorter >= 3 && (x.StartsWith(y, StringComparison.Ordinal) || y.StartsWith(x, StringComparison.Ordinal)))
        {
            return true; // NUR and NURUL, JOHN and JOHNNY
        }
        if (Math.Abs(x.Length - y.Length) > 2)
        {
            return false;
        }
        if (shorter == 2 && Math.Max(x.Length, y.Length) == 3)
        {
            // A dropped middle letter keeps a short word's first and last (TH for TEH, KK for KOK), and a Hokkien name's
            // closing H comes and goes (PO for POH); dropping another end leaves another name (NG for ANG, LI for LIM).
            var (two, three) = x.Length == 2 ? (x, y) : (y, x);
            return two[0] == three[0] && (two[1] == three[2] || two[1] == three[1] && three[2] == 'H');
        }
        // Short words differing in their first letter are different names (MING, LING); a long one keeps its identity.
        // The first two letters swapped (ISEW for SIEW) are a slip of the keys: the same letters, no other name. So is a
        // first letter dropped from a word that keeps four (ATIN for FATIN, AZID for YAZID); dropped from a shorter one
        // it leaves another name (ING for LING, IDA for AIDA).
        if (!sameFirst && shorter < 5 && !(shorter >= 3 && x.Length == y.Length && x[0] == y[1] && x[1] == y[0] && x.AsSpan(2).SequenceEqual(y.AsSpan(2)))
            && !(shorter >= 4 && FirstLetterDropped(x, y)))
        {
            return false;
        }
        return shorter >= 3 && (Similarity.WithinOneEdit(x, y) || Similarity.IsTransposition(x, y))
            || sameFirst && shorter >= 4 && Similarity.JaroWinkler(x, y) >= 0.92;
    }

    static bool FirstLetterDropped(string x, string y) =>
        x.Length == y.Length + 1 ? x.AsSpan(1).SequenceEqual(y) : y.Length == x.Length + 1 && y.AsSpan(1).SequenceEqual(x);

    internal static bool SameClan(string x, string y)
    {
        // Most words of a name are no clan's spelling, and their shape says so without looking them up.
        if (!NameNormaliser.MayBeClanSpelling(x) || !NameNormaliser.MayBeClanSpelling(y))
        {
            return false;
        }
        var cx = NameNormaliser.ClansOf(x);
        if (cx.Count == 0)
        {
            return false;
        }
        var cy = NameNormaliser.ClansOf(y);
        // Indexed, not foreach: through the interface a foreach would allocate an enumerator on every pair compared.
        for (var i = 0; i < cx.Count; i++)
        {
            for (var j = 0; j < cy.Count; j++)
            {
                if (string.Equals(cx[i], cy[j], StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
