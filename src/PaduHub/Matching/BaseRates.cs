namespace PaduHub.Matching;

/// <summary>
/// What strangers look like, before any fitting: how often each level occurs among random pairs of records (u), and how
/// often each value occurs (for the exact level's term-frequency adjustment and for crowded phones and emails).
/// </summary>
static class BaseRates
{
    /// <summary>u by comparison and level from random record pairs (every pair, when there are fewer than asked).</summary>
    public static double[][] RandomPairU(IReadOnlyList<MatchRecord> records, Comparison[] comparisons, int randomPairs, int seed)
    {
        var n = records.Count;
        long allPairs = (long)n * (n - 1) / 2;
        var exhaustive = allPairs <= randomPairs;
        var partitions = Environment.ProcessorCount;
        var partial = new double[partitions][][];
        Parallel.For(0, partitions, p =>
        {
            var counts = comparisons.Select(x => new double[x.Levels.Length]).ToArray();
            Span<sbyte> levels = stackalloc sbyte[comparisons.Length];
            var random = new Random(seed + p);
            if (exhaustive)
            {
                for (var i = p; i < n; i += partitions)
                {
                    for (var j = i + 1; j < n; j++)
                    {
                        Add(records[i], records[j], levels, counts);
                    }
                }
            }
            else
            {
                for (var k = p; k < randomPairs; k += partitions)
                {
                    var i = random.Next(n);
                    var j = random.Next(n - 1);
                    Add(records[i], records[j >= i ? j + 1 : j], levels, counts);
                }
            }
            partial[p] = counts;
        });
        var u = new double[comparisons.Length][];
        for (var c = 0; c < comparisons.Length; c++)
        {
            var counts = Enumerable.Range(0, comparisons[c].Levels.Length).Select(l => partial.Sum(p => p[c][l])).ToArray();
            // Add-one smoothing: a level never seen among random pairs is rare, not impossible.
            var total = counts.Sum() + counts.Length;
            u[c] = [.. counts.Select(x => (x + 1) / total)];
        }
        return u;

        void Add(MatchRecord a, MatchRecord b, Span<sbyte> levels, double[][] counts)
        {
            for (var c = 0; c < levels.Length; c++)
            {
                levels[c] = (sbyte)comparisons[c].Level(a, b);
                if (levels[c] >= 0)
                {
                    counts[c][levels[c]]++;
                }
            }
        }
    }

    /// <summary>
    /// How many records hold each value of the comparison's field, and which values of its shared field (a phone, an
    /// email) more than <see cref="MatchModel.CrowdedAbove"/> records carry; null where the comparison has neither.
    /// </summary>
    public static (Dictionary<string, int>? Values, HashSet<string>? Crowded) ValueCounts(IReadOnlyList<MatchRecord> records, Comparison comparison)
    {
        var (value, shared) = (comparison.Value, comparison.Shared);
        var counts = value is null ? null : Count(value);
        if (shared is null)
        {
            return (counts, null);
        }
        // An email's counts serve both; a phone, which has no term frequency, is counted for this alone.
        var times = shared == value ? counts! : Count(shared);
        var crowded = times.Where(t => t.Value > MatchModel.CrowdedAbove).Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
        return (counts, crowded.Count > 0 ? crowded : null);

        Dictionary<string, int> Count(Func<MatchRecord, string?> valueOf)
        {
            var found = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var r in records)
            {
                if (valueOf(r) is { } v)
                {
                    found[v] = found.GetValueOrDefault(v) + 1;
                }
            }
            return found;
        }
    }
}
