// Hot path: scoring calls these millions of times a second; the bit-parallel forms and their plain fallbacks stay side by side.
using System.Runtime.Intrinsics;

namespace PaduHub.Matching;

/// <summary>Jaro-Winkler: the plain scan, its bit-parallel form, and the bound that settles most strangers before either.</summary>
public static partial class Similarity
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
        return b.Length <= 64 ? JaroWinklerInBits(a, b) : JaroWinklerByScan(a, b);
    }

    /// <summary>
    /// <see cref="JaroWinklerByScan"/>'s number, with the longer text's positions held as the bits of one word: where each
    /// character stands in b is looked up once, and each character of a takes the first unmatched one inside its window
    /// with a mask and a count of trailing zeros instead of a scan. The same greedy choice, so the same matches and
    /// transpositions (<c>SimilarityTests</c> compares the two). Jaro-Winkler on names is much of comparing (decision 7).
    /// </summary>
    /// <summary>
    /// How many of each character a text holds (A to Z, a space, anything else together), for <see cref="MayReachJaroWinkler"/>;
    /// every count at its most where the text is too long to count in bytes.
    /// </summary>
    internal static Vector256<byte> CharacterCounts(string? text)
    {
        if (text is null || text.Length > 255)
        {
            return Vector256<byte>.AllBitsSet;
        }
        Span<byte> counts = stackalloc byte[32];
        counts.Clear();
        foreach (var c in text)
        {
            counts[c is >= 'A' and <= 'Z' ? c - 'A' : c == ' ' ? 26 : 27]++;
        }
        return Vector256.Create<byte>(counts);
    }

    /// <summary>
    /// False only where Jaro-Winkler of the two texts is surely below the threshold: no more characters can match than the
    /// texts hold in common, a transposition only lowers it, and the prefix bonus is what their first letters give. Most
    /// pairs of strangers' names are settled so without matching a character (the same answer, sooner).
    /// </summary>
    internal static bool MayReachJaroWinkler(string a, Vector256<byte> countsA, string b, Vector256<byte> countsB, double threshold)
    {
        var (lower, upper) = Vector256.Widen(Vector256.Min(countsA, countsB));
        double common = Vector256.Sum(lower + upper);
        if (common == 0 || a.Length == 0 || b.Length == 0)
        {
            return threshold <= 0;
        }
        var jaro = (common / a.Length + common / b.Length + 1) / 3;
        var prefix = 0;
        var most = Math.Min(4, Math.Min(a.Length, b.Length));
        while (prefix < most && a[prefix] == b[prefix])
        {
            prefix++;
        }
        return jaro + prefix * 0.1 * (1 - jaro) >= threshold - 1e-9;
    }

    static double JaroWinklerInBits(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var positions = t_positions ??= new ulong[128];
        for (var j = 0; j < b.Length; j++)
        {
            if (b[j] >= 128)
            {
                ClearPositions(positions, b[..j]);
                return JaroWinklerByScan(a, b);
            }
            positions[b[j]] |= 1UL << j;
        }
        var window = Math.Max(0, b.Length / 2 - 1);
        var last = b.Length - 1;
        var inB = LowBits(b.Length);
        ulong aMatched = 0, bFree = inB;
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var c = a[i];
            if (c >= 128)
            {
                continue; // b holds no such character
            }
            var from = Math.Max(0, i - window);
            var to = Math.Min(last, i + window);
            var inWindow = LowBits(to + 1) & ~LowBits(from);
            var candidates = positions[c] & bFree & inWindow;
            if (candidates != 0)
            {
                bFree &= ~(candidates & (~candidates + 1)); // the first of them is taken
                aMatched |= 1UL << i;
                matches++;
            }
        }
        ClearPositions(positions, b);
        if (matches == 0)
        {
            return 0;
        }
        var bMatched = inB & ~bFree;
        var transpositions = 0;
        while (aMatched != 0)
        {
            var i = System.Numerics.BitOperations.TrailingZeroCount(aMatched);
            var j = System.Numerics.BitOperations.TrailingZeroCount(bMatched);
            if (a[i] != b[j])
            {
                transpositions++;
            }
            aMatched &= aMatched - 1;
            bMatched &= bMatched - 1;
        }
        return Winkler(a, b, matches, transpositions);
    }

    [ThreadStatic]
    static ulong[]? t_positions;

    /// <summary>The lowest <paramref name="count"/> bits set, 0 to 64 of them (a shift by 64 would shift by nothing).</summary>
    static ulong LowBits(int count) => count == 64 ? ulong.MaxValue : (1UL << count) - 1;

    static void ClearPositions(ulong[] positions, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            positions[c] = 0;
        }
    }

    static double Winkler(ReadOnlySpan<char> a, ReadOnlySpan<char> b, int matches, int transpositions)
    {
        double m = matches;
        var jaro = (m / a.Length + m / b.Length + (m - transpositions / 2.0) / m) / 3;
        var prefix = 0;
        while (prefix < Math.Min(4, a.Length) && a[prefix] == b[prefix])
        {
            prefix++;
        }
        return jaro + prefix * 0.1 * (1 - jaro);
    }

    /// <summary>Jaro-Winkler of a shorter or equal <paramref name="a"/> and <paramref name="b"/>, by scanning each window.</summary>
    internal static double JaroWinklerByScan(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
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
        return Winkler(a, b, matches, transpositions);
    }
}
