namespace PaduHub.Matching;

/// <summary>
/// String and code similarities the comparisons are built from. Hand-written and allocation-free because scoring
/// calls them millions of times a second; FuzzySharp is kept for the token-set comparison of whole names, where
/// word order and missing words matter more than speed.
/// </summary>
public static class Similarity
{
    /// <summary>Jaro-Winkler similarity in [0, 1]: forgiving of typos, rewarding a shared beginning.</summary>
    public static double JaroWinkler(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }
        if (a.SequenceEqual(b))
        {
            return 1;
        }
        if (a.Length > b.Length)
        {
            var t = a;
            a = b;
            b = t;
        }
        var window = Math.Max(0, b.Length / 2 - 1);
        Span<bool> aMatched = a.Length <= 128 ? stackalloc bool[a.Length] : new bool[a.Length];
        Span<bool> bMatched = b.Length <= 128 ? stackalloc bool[b.Length] : new bool[b.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var from = Math.Max(0, i - window);
            var to = Math.Min(b.Length - 1, i + window);
            for (var j = from; j <= to; j++)
            {
                if (!bMatched[j] && a[i] == b[j])
                {
                    aMatched[i] = bMatched[j] = true;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0)
        {
            return 0;
        }
        var transpositions = 0;
        for (int i = 0, j = 0; i < a.Length; i++)
        {
            if (!aMatched[i])
            {
                continue;
            }
            while (!bMatched[j])
            {
                j++;
            }
            if (a[i] != b[j])
            {
                transpositions++;
            }
            j++;
        }
        double m = matches;
        var jaro = (m / a.Length + m / b.Length + (m - transpositions / 2.0) / m) / 3;
        var prefix = 0;
        while (prefix < Math.Min(4, a.Length) && a[prefix] == b[prefix])
        {
            prefix++;
        }
        return jaro + prefix * 0.1 * (1 - jaro);
    }

    /// <summary>True when b is a with one character inserted, deleted or replaced.</summary>
    public static bool WithinOneEdit(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (Math.Abs(a.Length - b.Length) > 1)
        {
            return false;
        }
        if (a.Length > b.Length)
        {
            var t = a;
            a = b;
            b = t;
        }
        var i = 0;
        while (i < a.Length && a[i] == b[i])
        {
            i++;
        }
        return a.Length == b.Length ? a[(i + (i < a.Length ? 1 : 0))..].SequenceEqual(b[(i + (i < b.Length ? 1 : 0))..]) : a[i..].SequenceEqual(b[(i + 1)..]);
    }

    /// <summary>True when b is a with two neighbouring characters swapped: the commonest keying slip in numbers.</summary>
    public static bool IsTransposition(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length != b.Length || a.Length < 2)
        {
            return false;
        }
        var i = 0;
        while (i < a.Length && a[i] == b[i])
        {
            i++;
        }
        return i < a.Length - 1 && a[i] == b[i + 1] && a[i + 1] == b[i] && a[(i + 2)..].SequenceEqual(b[(i + 2)..]);
    }

    /// <summary>
    /// A sound key for a name token, for blocking only: Soundex's consonant classes after folding the spellings
    /// Malaysian clerks vary most (SY/SH, KH/K, DZ/Z, OO/U, EE/I, PH/F), so SYAFIQ and SHAFIK meet.
    /// </summary>
    public static string Phonetic(string token)
    {
        if (token.Length == 0)
        {
            return token;
        }
        var s = token.Replace("SY", "S").Replace("SH", "S").Replace("KH", "K").Replace("DZ", "Z").Replace("PH", "F")
            .Replace("OO", "U").Replace("EE", "I").Replace("GH", "G").Replace("TH", "T").Replace("CH", "C");
        Span<char> key = stackalloc char[4];
        key[0] = s[0];
        var length = 1;
        var last = Code(s[0]);
        for (var i = 1; i < s.Length && length < 4; i++)
        {
            var code = Code(s[i]);
            if (code != '0' && code != last)
            {
                key[length++] = code;
            }
            if (s[i] is not ('H' or 'W'))
            {
                last = code;
            }
        }
        return new string(key[..length]);

        static char Code(char c) => c switch
        {
            'B' or 'F' or 'P' or 'V' => '1',
            'C' or 'G' or 'J' or 'K' or 'Q' or 'S' or 'X' or 'Z' => '2',
            'D' or 'T' => '3',
            'L' => '4',
            'M' or 'N' => '5',
            'R' => '6',
            _ => '0',
        };
    }
}
