namespace PaduHub.Matching;

/// <summary>
/// What strangers look like, before any fitting: how often each level occurs among random pairs of records (u), and how
/// often each value occurs (for the exact level's term-frequency adjustment and for crowded phones and emails).
/// </summary>
static class BaseRates
{
    /// <summary>
    /// How many pairs of the run's records could be one person: every pair, or linking, those across sources
    /// ((n^2 - the sum of each source's n^2) / 2).
    /// </summary>
    public static double PairsThatCouldMatch(IReadOnlyList<MatchRecord> records, bool acrossSourcesOnly)
    {
        var sizes = records.GroupBy(r => r.Source).Select(g => (double)g.Count()).ToList();
        return acrossSourcesOnly
            ? (Math.Pow(sizes.Sum(), 2) - sizes.Sum(n => n * n)) / 2
            : (double)records.Count * (records.Count - 1) / 2;
    }

    /// <summary>
    /// u by comparison and level from random record pairs (every pair, when there are fewer than asked). Given each
    /// record's side (a link), only pairs across sides are drawn: those are the pairs the run compares, and files from
    /// different sources differ in how they spell and fill things.
    /// </summary>
    public static double[][] RandomPairU(IReadOnlyList<MatchRecord> records, Comparison[] comparisons, int randomPairs, int seed, int[]? side = null)
    {
        var n = records.Count;
        long allPairs = side is null ? (long)n * (n - 1) / 2 : AcrossPairs(side);
        var exhaustive = allPairs <= randomPairs;
        var across = side is null || exhaustive ? null : SideOrder.Of(side);
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
                        if (side is null || side[i] != side[j])
                        {
                            Add(records[i], records[j], levels, counts);
                        }
                    }
                }
            }
            else
            {
                // Drawn first and compared in record order: a record's fields are then often still in cache from its
                // previous pair, and counts do not depend on the order they are added in.
                var drawn = new long[(randomPairs - p + partitions - 1) / partitions];
                var at = 0;
                for (var k = p; k < randomPairs; k += partitions)
                {
                    var i = random.Next(n);
                    int j;
                    if (across is null)
                    {
                        j = random.Next(n - 1);
                        j = j >= i ? j + 1 : j;
                    }
                    else
                    {
                        // Records ordered by side: draw from everything outside i's side, stepping over its stretch.
                        var (start, count) = across.Stretch[side![i]];
                        var r = random.Next(n - count);
                        j = across.Order[r >= start ? r + count : r];
                    }
                    drawn[at++] = (long)i << 32 | (uint)j;
                }
                Array.Sort(drawn);
                foreach (var pair in drawn)
                {
                    Add(records[(int)(pair >> 32)], records[(int)(pair & 0xFFFFFFFF)], levels, counts);
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

    /// <summary>Record indexes ordered by side, and where each side's stretch starts and how long it is.</summary>
    sealed record SideOrder(int[] Order, Dictionary<int, (int Start, int Count)> Stretch)
    {
        public static SideOrder Of(int[] side)
        {
            var order = Enumerable.Range(0, side.Length).OrderBy(i => side[i]).ToArray();
            var stretch = new Dictionary<int, (int Start, int Count)>();
            for (var k = 0; k < order.Length;)
            {
                var start = k;
                while (k < order.Length && side[order[k]] == side[order[start]])
                {
                    k++;
                }
                stretch[side[order[start]]] = (start, k - start);
            }
            return new SideOrder(order, stretch);
        }
    }

    static long AcrossPairs(int[] side)
    {
        var sizes = side.GroupBy(s => s).Select(g => (long)g.Count()).ToList();
        var n = sizes.Sum();
        return (n * n - sizes.Sum(x => x * x)) / 2;
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
