namespace PaduHub.Matching;

/// <summary>
/// String and code similarities the comparisons are built from. Hand-written and allocation-free because scoring
/// calls them millions of times a second. FuzzySharp's token-set ratio is reproduced here number for number, and
/// FuzzySharp itself answers the inputs the fast path leaves to it.
/// </summary>
public static partial class Similarity
{
    /// <summary>
    /// A distinct word of a text, by where it first stands, with its hash and how many times the text has it: the
    /// token-set ratio and the street's word overlap ask of each word whether the other text has it.
    /// </summary>
    public readonly record struct Word(int Start, int Length, int Hash, int Count = 1)
    {
        public ReadOnlySpan<char> In(string text) => text.AsSpan(Start, Length);
    }

    /// <summary>
    /// FuzzySharp's <c>Fuzz.TokenSetRatio</c>, the same number computed without its allocations: it was nine tenths of
    /// the time spent scoring a pair. Like FuzzySharp, the texts are split into sets of words at white space (case and
    /// punctuation kept), and the best of three indel ratios is returned: between the common words and the common words
    /// followed by each side's own, all in the current culture's sorted order. A text with no words, or over 256
    /// characters, goes to FuzzySharp itself; <c>TokenSetRatioTests</c> compares the two on names, addresses and noise.
    /// </summary>
    public static int TokenSetRatio(string a, string b)
    {
        if (a.Length > 256 || b.Length > 256)
        {
            return FuzzySharp.Fuzz.TokenSetRatio(a, b);
        }
        Span<Word> wordsA = stackalloc Word[a.Length / 2 + 1];
        Span<Word> wordsB = stackalloc Word[b.Length / 2 + 1];
        var countA = SortedWords(a, wordsA);
        var countB = SortedWords(b, wordsB);
        return TokenSetRatio(a, wordsA[..countA], b, wordsB[..countB]);
    }

    /// <summary>
    /// The distinct words of a text in the order <see cref="TokenSetRatio(string, string)"/> takes them, kept by a
    /// caller that compares the same text many times (a record's name is compared with each of its candidates): finding
    /// and sorting the words was a third of the token-set ratio's time.
    /// </summary>
    public static Word[] Words(string text)
    {
        if (text.Length > 256)
        {
            return [];
        }
        Span<Word> words = stackalloc Word[text.Length / 2 + 1];
        return words[..SortedWords(text, words)].ToArray();
    }

    /// <summary><see cref="TokenSetRatio(string, string)"/> of two texts whose <see cref="Words"/> are known.</summary>
    public static int TokenSetRatio(string a, ReadOnlySpan<Word> wordsA, string b, ReadOnlySpan<Word> wordsB)
    {
        var (countA, countB) = (wordsA.Length, wordsB.Length);
        if (a.Length > 256 || b.Length > 256 || countA == 0 || countB == 0)
        {
            return FuzzySharp.Fuzz.TokenSetRatio(a, b);
        }

        // Common words, then each side's own words after them, joined by single spaces.
        Span<char> common = stackalloc char[a.Length + 1];
        Span<char> withA = stackalloc char[a.Length + b.Length + 2];
        Span<char> withB = stackalloc char[a.Length + b.Length + 2];
        var lengthCommon = 0;
        Span<bool> inB = stackalloc bool[countA];
        for (var i = 0; i < countA; i++)
        {
            inB[i] = Contains(b, wordsB, wordsA[i], a);
            if (inB[i])
            {
                Append(common, ref lengthCommon, wordsA[i].In(a));
            }
        }
        common[..lengthCommon].CopyTo(withA);
        common[..lengthCommon].CopyTo(withB);
        var (lengthA, lengthB) = (lengthCommon, lengthCommon);
        for (var i = 0; i < countA; i++)
        {
            if (!inB[i])
            {
                Append(withA, ref lengthA, wordsA[i].In(a));
            }
        }
        for (var i = 0; i < countB; i++)
        {
            if (!Contains(a, wordsA, wordsB[i], b))
            {
                Append(withB, ref lengthB, wordsB[i].In(b));
            }
        }
        // The common words begin both other texts, and the longest common subsequence of a text and its own beginning is
        // that beginning: the first two ratios need no table. The third is computed only when the shorter text leaves it
        // room to beat them (its subsequence can be no longer than the shorter text), which is the same number cheaper.
        var best = Math.Max(PrefixRatio(lengthCommon, lengthA), PrefixRatio(lengthCommon, lengthB));
        var shorter = Math.Min(lengthA, lengthB);
        if (RatioOf(2 * shorter, lengthA + lengthB) > best)
        {
            best = Math.Max(best, Ratio(withA[..lengthA], withB[..lengthB]));
        }
        return best;
    }

    /// <summary><see cref="Ratio"/> of a text of <paramref name="length"/> characters and its first <paramref name="prefix"/>.</summary>
    static int PrefixRatio(int prefix, int length) => prefix == length ? (length == 0 ? 0 : 100) : RatioOf(2 * prefix, prefix + length);

    /// <summary>FuzzySharp's rounding of matched over total characters.</summary>
    static int RatioOf(int matched, int total) => (int)Math.Round(100 * (matched / (double)total));

    /// <summary>
    /// The distinct words of <paramref name="text"/> in first-seen order, then sorted stably in the current culture's
    /// order (as a HashSet enumerated into OrderBy gives them); returns how many.
    /// </summary>
    static int SortedWords(string text, Span<Word> words)
    {
        var count = 0;
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var space = i == text.Length || char.IsWhiteSpace(text[i]);
            if (!space && start < 0)
            {
                start = i;
            }
            else if (space && start >= 0)
            {
                var word = new Word(start, i - start, string.GetHashCode(text.AsSpan(start, i - start)));
                var seen = IndexOf(text, words[..count], word, text);
                if (seen < 0)
                {
                    words[count++] = word;
                }
                else
                {
                    words[seen] = words[seen] with { Count = words[seen].Count + 1 };
                }
                start = -1;
            }
        }
        for (var i = 1; i < count; i++)
        {
            var word = words[i];
            var j = i - 1;
            while (j >= 0 && CompareWords(words[j].In(text), word.In(text)) > 0)
            {
                words[j + 1] = words[j];
                j--;
            }
            words[j + 1] = word;
        }
        return count;
    }

    /// <summary>
    /// The current culture's order. Words of capital letters and digits only (nearly every word of a name or an
    /// address here) sort the same by their code points, which is twenty times cheaper than asking the culture.
    /// </summary>
    static int CompareWords(ReadOnlySpan<char> x, ReadOnlySpan<char> y) =>
        CapitalsAndDigits(x) && CapitalsAndDigits(y) ? x.SequenceCompareTo(y) : x.CompareTo(y, StringComparison.CurrentCulture);

    static bool CapitalsAndDigits(ReadOnlySpan<char> word)
    {
        foreach (var c in word)
        {
            if (c is not (>= 'A' and <= 'Z' or >= '0' and <= '9'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether <paramref name="word"/> of <paramref name="wordText"/> is among <paramref name="words"/> of <paramref name="text"/>.</summary>
    internal static bool Contains(string text, ReadOnlySpan<Word> words, Word word, string wordText) => IndexOf(text, words, word, wordText) >= 0;

    static int IndexOf(string text, ReadOnlySpan<Word> words, Word word, string wordText)
    {
        for (var i = 0; i < words.Length; i++)
        {
            // The hashes settle nearly every pair of different words without reading them.
            if (words[i].Hash == word.Hash && words[i].In(text).SequenceEqual(word.In(wordText)))
            {
                return i;
            }
        }
        return -1;
    }

    static void Append(Span<char> into, ref int length, ReadOnlySpan<char> word)
    {
        if (length > 0)
        {
            into[length++] = ' ';
        }
        word.CopyTo(into[length..]);
        length += word.Length;
    }

    /// <summary>FuzzySharp's <c>Fuzz.Ratio</c>: 100 × (1 − indel distance / total length), rounded to even; 100 when equal.</summary>
    static int Ratio(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var total = a.Length + b.Length;
        if (a.SequenceEqual(b))
        {
            return total == 0 ? 0 : 100;
        }
        // Indel distance (a substitution costs two) is the total length less twice the longest common subsequence.
        return RatioOf(2 * LongestCommonSubsequence(a, b), total);
    }

    /// <summary>
    /// Length of the longest common subsequence. Up to 64 characters on one side it is computed a column of the table
    /// at a time in the bits of one word (Hyyrö's bit-parallel algorithm), otherwise row by row.
    /// </summary>
    static int LongestCommonSubsequence(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length > b.Length)
        {
            var shorter = b;
            b = a;
            a = shorter;
        }
        if (a.Length == 0)
        {
            return 0;
        }
        if (a.Length <= 64)
        {
            // Where each character stands in a, as bits; characters past ASCII are looked up in a itself.
            Span<ulong> positions = stackalloc ulong[128];
            positions.Clear();
            for (var i = 0; i < a.Length; i++)
            {
                if (a[i] < 128)
                {
                    positions[a[i]] |= 1UL << i;
                }
            }
            var s = ulong.MaxValue;
            foreach (var c in b)
            {
                ulong matches;
                if (c < 128)
                {
                    matches = positions[c];
                }
                else
                {
                    matches = 0;
                    for (var i = 0; i < a.Length; i++)
                    {
                        if (a[i] == c)
                        {
                            matches |= 1UL << i;
                        }
                    }
                }
                var u = s & matches;
                s = (s + u) | (s - u);
            }
            var used = LowBits(a.Length);
            return System.Numerics.BitOperations.PopCount(~s & used);
        }
        Span<int> row = b.Length < 1024 ? stackalloc int[b.Length + 1] : new int[b.Length + 1];
        row.Clear();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = 0;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = a[i - 1] == b[j - 1] ? diagonal + 1 : Math.Max(above, row[j - 1]);
                diagonal = above;
            }
        }
        return row[b.Length];
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
        if (s_phonetic.TryGetValue(token, out var known))
        {
            return known;
        }
        var key = PhoneticOf(token);
        if (s_phonetic.Count < PhoneticCacheSize)
        {
            s_phonetic.TryAdd(token, key);
        }
        return key;
    }

    /// <summary>
    /// Sound keys already worked out, by name word. A country's name words number in the tens of thousands and a full run
    /// asks for each word's key on every record that carries it, several times (blocking, the standing index, exact
    /// keys): ten replacements and a new string each time showed in blocking's profile (decision 7). Bounded, so odd input cannot
    /// grow it without end.
    /// </summary>
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> s_phonetic = new(StringComparer.Ordinal);
    const int PhoneticCacheSize = 500_000;

    static string PhoneticOf(string token)
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
