namespace PaduHub.Matching;

/// <summary>
/// How alike two streets are: the same, the same words, words a typo apart, or one word shared. Hot path: it runs on
/// nearly every candidate pair, so the word overlap is counted from each street's kept words without allocating.
/// </summary>
static class StreetComparison
{
    /// <summary>
    /// <see cref="SharesWord(string, string)"/> and <see cref="WordDice(string, string)"/> from the streets' kept words
    /// (their hashes, and how often each occurs): the same answers, since a normalised street's words are separated by
    /// single spaces, without searching the other street's text for every word.
    /// </summary>
    static bool SharesWord(string a, ReadOnlySpan<Similarity.Word> wordsA, string b, ReadOnlySpan<Similarity.Word> wordsB)
    {
        foreach (var word in wordsA)
        {
            if (word.Length >= 2 && Similarity.Contains(b, wordsB, word, a))
            {
                return true;
            }
        }
        return false;
    }

    static double WordDice(string a, ReadOnlySpan<Similarity.Word> wordsA, string b, ReadOnlySpan<Similarity.Word> wordsB)
    {
        int countA = 0, countB = 0, shared = 0;
        foreach (var word in wordsA)
        {
            countA += word.Count;
            if (Similarity.Contains(b, wordsB, word, a))
            {
                shared += word.Count;
            }
        }
        foreach (var word in wordsB)
        {
            countB += word.Count;
        }
        return countA + countB == 0 ? 0 : 2.0 * shared / (countA + countB);
    }

    static bool SharesWord(string a, string b)
    {
        foreach (var range in a.AsSpan().Split(' '))
        {
            if (range.End.Value - range.Start.Value >= 2 && ContainsWord(b, a.AsSpan()[range]))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>2 x shared words / (words in a + words in b), words being space-separated.</summary>
    static double WordDice(string a, string b)
    {
        int wordsA = 0, wordsB = 0, shared = 0;
        foreach (var range in a.AsSpan().Split(' '))
        {
            if (range.End.Value > range.Start.Value)
            {
                wordsA++;
                if (ContainsWord(b, a.AsSpan()[range]))
                {
                    shared++;
                }
            }
        }
        foreach (var range in b.AsSpan().Split(' '))
        {
            if (range.End.Value > range.Start.Value)
            {
                wordsB++;
            }
        }
        return wordsA + wordsB == 0 ? 0 : 2.0 * shared / (wordsA + wordsB);
    }

    static bool ContainsWord(string text, ReadOnlySpan<char> word)
    {
        var at = text.AsSpan().IndexOf(word, StringComparison.Ordinal);
        while (at >= 0)
        {
            var end = at + word.Length;
            if ((at == 0 || text[at - 1] == ' ') && (end == text.Length || text[end] == ' '))
            {
                return true;
            }
            var next = text.AsSpan(end).IndexOf(word, StringComparison.Ordinal);
            at = next < 0 ? -1 : end + next;
        }
        return false;
    }

    /// <summary>
    /// Whether two streets are the same words in the same order where each word that differs is shortened in one of
    /// them (PSRI for PANGSAPURI, BKT for BUKIT): clerks shorten more words than the normaliser knows.
    /// </summary>
    internal static bool SameWordsAbbreviated(string a, string b)
    {
        var wordsA = a.AsSpan().Split(' ');
        var wordsB = b.AsSpan().Split(' ');
        var abbreviated = false;
        while (true)
        {
            var (moreA, moreB) = (wordsA.MoveNext(), wordsB.MoveNext());
            if (moreA != moreB)
            {
                return false;
            }
            if (!moreA)
            {
                return abbreviated;
            }
            var x = a.AsSpan()[wordsA.Current];
            var y = b.AsSpan()[wordsB.Current];
            if (x.SequenceEqual(y))
            {
                continue;
            }
            if (!(x.Length < y.Length ? Abbreviates(x, y) : Abbreviates(y, x)))
            {
                return false;
            }
            abbreviated = true;
        }
    }

    /// <summary>
    /// A short form of a word: its first letter, then letters of it in order, at most seven tenths its length, so
    /// that SERI is not taken for SERAI, nor JAYA for JAYAH.
    /// </summary>
    static bool Abbreviates(ReadOnlySpan<char> shorter, ReadOnlySpan<char> word)
    {
        if (shorter.Length < 2 || shorter.Length * 10 > word.Length * 7 || shorter[0] != word[0] || !char.IsLetter(shorter[0]))
        {
            return false;
        }
        var at = 1;
        foreach (var letter in shorter[1..])
        {
            if (!char.IsLetter(letter))
            {
                return false;
            }
            var found = word[at..].IndexOf(letter);
            if (found < 0)
            {
                return false;
            }
            at += found + 1;
        }
        return true;
    }

    /// <param name="a">one record</param>
    /// <param name="b">the other</param>
    /// <param name="byKeptWords">overlap counted from each street's kept words (as comparing does), or by searching the
    /// other street's text (as a street too long to keep words for is, and as the tests check the first against)</param>
    public static int Level(MatchRecord a, MatchRecord b, bool byKeptWords)
    {
        if (a.Street is null || b.Street is null)
        {
            return Comparisons.Missing;
        }
        if (a.Street == b.Street)
        {
            return a.Unit == b.Unit ? 3 : 2;
        }
        // Word overlap (Dice over the street's words) first: candidates often share a street and this runs on every one
        // of them, where an allocation-free count is far cheaper than FuzzySharp.
        var (wordsA, wordsB) = (a.StreetWords, b.StreetWords);
        var known = byKeptWords && wordsA.Length > 0 && wordsB.Length > 0; // a street past 256 characters has no words kept
        if (known ? !SharesWord(a.Street, wordsA, b.Street, wordsB) : !SharesWord(a.Street, b.Street))
        {
            return 0;
        }
        if (SameWordsAbbreviated(a.Street, b.Street))
        {
            return a.Unit == b.Unit ? 3 : 2;
        }
        if ((known ? WordDice(a.Street, wordsA, b.Street, wordsB) : WordDice(a.Street, b.Street)) >= 0.85)
        {
            return a.Unit == b.Unit ? 2 : 1;
        }
        // Words that differ by a typo need a character-level token-set ratio (FuzzySharp's, computed by Similarity).
        var ratio = Similarity.TokenSetRatio(a.Street, a.StreetWords, b.Street, b.StreetWords);
        if (ratio >= 90)
        {
            return a.Unit == b.Unit ? 2 : 1;
        }
        return ratio >= 70 ? 1 : 0;
    }
}
