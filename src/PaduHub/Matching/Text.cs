namespace PaduHub.Matching;

/// <summary>
/// Small text helpers normalising runs a million times in a full run, written without LINQ: its per-character
/// iterators and the hash sets behind Distinct() showed in normalising's profile (decision 7).
/// </summary>
static class Text
{
    /// <summary>
    /// One instance of a short string that many records carry: an agency, a name word, a date of birth, a postcode, a
    /// town. A full run keeps a million records and their source rows for its whole length, and the garbage collector
    /// pays for every object that outlives its first collection (decision 7). Sharing the repeated strings leaves it fewer to
    /// copy. Bounded, so odd input cannot grow it without end.
    /// </summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    public static string? Shared(string? value)
    {
        if (value is null)
        {
            return null;
        }
        if (s_shared.TryGetValue(value, out var shared))
        {
            return shared;
        }
        if (s_sharedCount < SharedCapacity && s_shared.TryAdd(value, value))
        {
            Interlocked.Increment(ref s_sharedCount);
        }
        return value;
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> s_shared = new(StringComparer.Ordinal);
    static int s_sharedCount;
    const int SharedCapacity = 1 << 20;

    /// <summary>
    /// Latin letters as the ASCII ones they are written for: accents dropped (É, Ü, Ñ come apart under decomposition and
    /// the marks go), and the letters that do not come apart spelled out (ß as SS, Æ as AE, Ø as O, Ł as L). ASCII text
    /// comes back as it is; other scripts are left for the callers, which keep only ASCII letters and digits.
    /// </summary>
    public static string FoldLatin(string text)
    {
        if (System.Text.Ascii.IsValid(text))
        {
            return text;
        }
        var folded = new System.Text.StringBuilder(text.Length + 4);
        foreach (var c in text.Normalize(System.Text.NormalizationForm.FormD))
        {
            if (char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            folded.Append(c switch
            {
                'ß' => "ss",
                'ẞ' => "SS",
                'Æ' => "AE",
                'æ' => "ae",
                'Œ' => "OE",
                'œ' => "oe",
                'Ø' => "O",
                'ø' => "o",
                'Ł' => "L",
                'ł' => "l",
                'Đ' or 'Ð' => "D",
                'đ' or 'ð' => "d",
                'Þ' => "TH",
                'þ' => "th",
                'ı' => "i",
                _ => c.ToString(),
            });
        }
        return folded.ToString();
    }

    /// <summary>The ASCII digits of the text, and its ASCII letters upper-cased when <paramref name="letters"/>.</summary>
    public static string Keep(string raw, bool letters)
    {
        Span<char> kept = raw.Length <= 256 ? stackalloc char[raw.Length] : new char[raw.Length];
        var length = 0;
        foreach (var c in raw)
        {
            if (char.IsAsciiDigit(c) || letters && char.IsAsciiLetter(c))
            {
                kept[length++] = char.ToUpperInvariant(c);
            }
        }
        return length == raw.Length ? raw.ToUpperInvariant() : new string(kept[..length]);
    }

    /// <summary>How many different characters the text has, counting no further than <paramref name="enough"/>.</summary>
    public static int DistinctCharacters(string text, int enough)
    {
        Span<char> seen = stackalloc char[enough];
        var count = 0;
        foreach (var c in text)
        {
            if (!seen[..count].Contains(c))
            {
                seen[count++] = c;
                if (count == enough)
                {
                    break;
                }
            }
        }
        return count;
    }
}
