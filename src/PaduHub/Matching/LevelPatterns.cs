using System.Runtime.InteropServices;

namespace PaduHub.Matching;

/// <summary>
/// A pair's levels packed into one number, four bits a comparison (15 where a side has nothing): what training counts
/// and scoring reads. Hot path: every candidate pair of a full run is compared here once.
/// </summary>
public static class LevelPatterns
{
    /// <summary>
    /// Every pair's levels, packed. Comparing is nearly all of the cost of training and of scoring, and both need the
    /// same levels of the same pairs: a full run compares each pair once and keeps the result (8 bytes a pair).
    /// </summary>
    public static ulong[] Of(IReadOnlyList<MatchRecord> records, IReadOnlyList<(int A, int B)> pairs, Comparison[] comparisons)
    {
        if (comparisons.Length > 16)
        {
            throw new ArgumentException("at most 16 comparisons fit a packed pattern", nameof(comparisons));
        }
        var patterns = new ulong[pairs.Count];
        var partitions = Environment.ProcessorCount;
        // Arrays and spans, not the lists' interfaces: this loop runs once per candidate pair and must not pay a call per fetch.
        var recordArray = records as MatchRecord[] ?? [.. records];
        var pairList = pairs as List<(int A, int B)>;
        var pairArray = pairList is null ? pairs as (int A, int B)[] ?? [.. pairs] : null;
        Parallel.For(0, partitions, p =>
        {
            Span<sbyte> levels = stackalloc sbyte[comparisons.Length];
            ReadOnlySpan<(int A, int B)> pairSpan = pairList is not null ? CollectionsMarshal.AsSpan(pairList) : pairArray;
            for (var k = p; k < pairSpan.Length; k += partitions)
            {
                var (a, b) = (recordArray[pairSpan[k].A], recordArray[pairSpan[k].B]);
                for (var i = 0; i < comparisons.Length; i++)
                {
                    levels[i] = (sbyte)comparisons[i].Level(a, b);
                }
                patterns[k] = Pack(levels);
            }
        });
        return patterns;
    }

    /// <summary>The distinct level patterns, with how many pairs show each: EM iterates over these, not over pairs.</summary>
    public static Dictionary<ulong, long> Count(ulong[] pairPatterns)
    {
        var patterns = new Dictionary<ulong, long>();
        foreach (var key in pairPatterns)
        {
            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(patterns, key, out _);
            count++;
        }
        return patterns;
    }

    public static void Unpack(ulong key, Span<sbyte> levels)
    {
        for (var i = 0; i < levels.Length; i++)
        {
            var level = Unpack(key, i);
            levels[i] = (sbyte)(level == 15 ? -1 : level);
        }
    }

    public static ulong Pack(ReadOnlySpan<sbyte> levels)
    {
        ulong key = 0;
        for (var i = 0; i < levels.Length; i++)
        {
            key |= (ulong)(levels[i] < 0 ? 15 : levels[i]) << (4 * i);
        }
        return key;
    }

    /// <summary>One comparison's level in a packed pattern, 15 where a side has nothing.</summary>
    public static int Unpack(ulong key, int comparison) => (int)(key >> (4 * comparison)) & 15;
}
