namespace PaduHub.Matching;

/// <summary>
/// Candidate generation. Every record is described by terms (canonical name words and their sound keys, date of birth,
/// each identifier and its halves, postcode, phone, email) and gets its top-k most alike records by those terms: a
/// whole run computes them all at once from in-memory postings (<see cref="Pairs"/>), and the hub's standing Lucene
/// index answers the same question one record at a time for incremental matching (<see cref="GoldenRecords.MatchIndex.Candidates"/>), with the same arithmetic. Terms
/// carried by more than <see cref="MatchSettings.MaxTermDocs"/> records are left out of queries (a placeholder IC or
/// MUHAMMAD would otherwise visit half the country), and the exact-key passes of <see cref="BlockingPasses"/> add the
/// pairs top-k could miss in a crowd or through a typo in every shared term, capped at
/// <see cref="MatchSettings.MaxBlock"/> records a block.
/// </summary>
public static class CandidateIndex
{
    /// <summary>The terms a record is indexed and searched by, with how much agreeing on each says.</summary>
    internal static List<(string Field, string Term, float Boost)> TermsOf(MatchRecord r)
    {
        var terms = new List<(string Field, string Term, float Boost)>();
        Terms(r, terms);
        return terms;
    }

    internal static void Terms(MatchRecord r, List<(string Field, string Term, float Boost)> terms)
    {
        foreach (var token in r.NameTokens)
        {
            terms.Add(("n", token, 1f));
            terms.Add(("s", Similarity.Phonetic(token), 0.5f));
        }
        foreach (var clan in r.SurnameClans)
        {
            terms.Add(("c", clan, 0.5f));
        }
        if (r.DateOfBirth is { } dob)
        {
            terms.Add(("d", dob, 2f));
            if (dob.Length == 8)
            {
                terms.Add(("dm", dob[4..], 0.5f)); // month and day: survives a wrong year
            }
        }
        foreach (var id in r.Identifiers)
        {
            terms.Add(("i", id.Value, 4f));
            if (id.Value.Length >= 6)
            {
                // Halves survive one typo in the other half.
                var half = id.Value.Length / 2;
                terms.Add(("ia", id.Value[..half], 1f));
                terms.Add(("ib", id.Value[half..], 1f));
            }
        }
        if (r.Postcode is { } postcode)
        {
            terms.Add(("z", postcode, 0.5f));
        }
        if (r.Phone is { } phone)
        {
            terms.Add(("p", phone, 2f));
        }
        if (r.Email is { } email)
        {
            terms.Add(("e", email, 2f));
        }
    }

    /// <summary>
    /// Candidate pairs (a &lt; b) for a whole run: each record's top-k plus the exact-key passes' blocks. A whole run scores
    /// every record against every other at once, so it needs no query engine, only postings: each distinct term is
    /// numbered once, every record becomes an array of term numbers, and the top-k comes from one pass over the
    /// postings with the arithmetic the standing index also uses (idf = 1 + ln(N / (df + 1)) times the field's boost,
    /// summed over shared terms). Building a Lucene index only to read its postings back, and a string-keyed pass over
    /// them, each took longer than the whole of blocking does now (decision 7).
    /// </summary>
    public static (List<(int A, int B)> Pairs, ushort[] Passes, BlockingReport Report) Pairs(IReadOnlyList<MatchRecord> records, MatchSettings settings)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var termIndex = NumberedTerms.Of(records);
        var postings = termIndex.Postings(settings.MaxTermDocs, out var skipped);
        var firstOf = IdenticalRecords.FirstOf(records, out var identical);
        // Linking two sources: a record's own source is never searched, nor paired by a block; copies inside one source
        // are left as they are, since they are not to be paired.
        var side = settings.AcrossSourcesOnly ? SidesOf(records) : null;
        if (side is not null)
        {
            firstOf = [.. Enumerable.Range(0, records.Count)];
            identical = 0;
        }
        var indexSeconds = clock.Elapsed.TotalSeconds;
        var lookAlikes = LookAlikes(records, termIndex, postings, firstOf, side, settings);
        var querySeconds = clock.Elapsed.TotalSeconds - indexSeconds;

        var copies = new List<long>();
        for (var i = 0; i < records.Count; i++)
        {
            if (firstOf[i] != i)
            {
                copies.Add(Key(firstOf[i], i));
            }
        }
        var (byPass, oversized) = BlockingPasses.Pairs(records, firstOf, side, settings.MaxBlock);
        long[][] sources = [lookAlikes, [.. copies.Order()], .. byPass];
        var (pairs, passes) = Union(sources);
        var nothingToMatchOn = records.Count(r => termIndex.Start[r.Index + 1] == termIndex.Start[r.Index] && !BlockingPasses.KeysOf(r).Any());
        var byName = BlockingPasses.BitNames.Select((name, bit) => (name, (long)sources[bit].Length)).ToDictionary(x => x.name, x => x.Item2);
        return (pairs, passes, new BlockingReport(pairs.Count, lookAlikes.Length, pairs.Count - lookAlikes.Length, oversized, skipped,
            Math.Round(indexSeconds, 3), Math.Round(querySeconds, 3), nothingToMatchOn, identical)
        { ByPass = byName });
    }

    /// <summary>Each record's top-k most alike records by shared terms, as sorted distinct pair keys.</summary>
    static long[] LookAlikes(IReadOnlyList<MatchRecord> records, NumberedTerms termIndex, (int[] Start, int[] Docs) postings, int[] firstOf, int[]? side,
        MatchSettings settings)
    {
        // Read for every record a search touches: a byte each stays in cache where the first's index would not.
        var isCopy = new bool[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            isCopy[i] = firstOf[i] != i;
        }
        var partitions = Environment.ProcessorCount;
        var partial = new long[partitions][];
        var termWeight = new float[termIndex.Boosts.Count];
        for (var t = 0; t < termWeight.Length; t++)
        {
            var df = postings.Start[t + 1] - postings.Start[t];
            termWeight[t] = (float)(termIndex.Boosts[t] * (1 + Math.Log((double)records.Count / (df + 1))));
        }
        Parallel.For(0, partitions, p =>
        {
            var local = new List<long>();
            var score = new float[records.Count];
            // The records a search has scored, in the order first reached: a plain array, as every record may be one,
            // and a slot past them that the branchless write below may fill once all are reached.
            var touched = new int[records.Count + 1];
            var top = new PriorityQueue<int, float>();
            for (var i = p; i < records.Count; i += partitions)
            {
                if (isCopy[i])
                {
                    continue;
                }
                var reached = 0;
                for (var k = termIndex.Start[i]; k < termIndex.Start[i + 1]; k++)
                {
                    var t = termIndex.Terms[k];
                    var weight = termWeight[t];
                    for (var x = postings.Start[t]; x < postings.Start[t + 1]; x++)
                    {
                        // Without a branch: whether a record is reached for the first time is a coin toss to the
                        // processor, and the slot is written either way, kept only the first time.
                        var d = postings.Docs[x];
                        touched[reached] = d;
                        reached += score[d] == 0 ? 1 : 0;
                        score[d] += weight;
                    }
                }
                foreach (var d in touched.AsSpan(0, reached))
                {
                    // A score under the lowest of a full top-k would only go in to come straight out, sifting the heap for nothing.
                    if (d != i && !isCopy[d] && (side is null || side[d] != side[i]) && (top.Count < settings.TopK || !top.TryPeek(out _, out var lowest) || score[d] >= lowest))
                    {
                        top.Enqueue(d, score[d]);
                        if (top.Count > settings.TopK)
                        {
                            top.Dequeue();
                        }
                    }
                    score[d] = 0;
                }
                while (top.TryDequeue(out var j, out _))
                {
                    local.Add(Key(i, j));
                }
            }
            partial[p] = [.. local];
        });
        var keys = Concat(partial);
        return keys[..SortUnique(keys)];
    }

    /// <summary>
    /// The union of sorted distinct pair lists, each pair with a bit for every list that holds it (list i is bit i),
    /// merged in one pass.
    /// </summary>
    static (List<(int A, int B)> Pairs, ushort[] Passes) Union(long[][] sources)
    {
        var at = new int[sources.Length];
        var pairs = new List<(int A, int B)>(sources.Max(s => s.Length));
        var passes = new List<ushort>(pairs.Capacity);
        while (true)
        {
            var next = long.MaxValue;
            for (var s = 0; s < sources.Length; s++)
            {
                if (at[s] < sources[s].Length && sources[s][at[s]] < next)
                {
                    next = sources[s][at[s]];
                }
            }
            if (next == long.MaxValue)
            {
                break;
            }
            ushort mask = 0;
            for (var s = 0; s < sources.Length; s++)
            {
                if (at[s] < sources[s].Length && sources[s][at[s]] == next)
                {
                    mask |= (ushort)(1 << s);
                    at[s]++;
                }
            }
            pairs.Add(((int)(next >> 32), (int)(next & 0xFFFFFFFF)));
            passes.Add(mask);
        }
        return (pairs, [.. passes]);
    }

    /// <summary>Each record's source as a small number, for telling two sources' records apart cheaply.</summary>
    internal static int[] SidesOf(IReadOnlyList<MatchRecord> records)
    {
        var sources = new Dictionary<string, int>(StringComparer.Ordinal);
        return [.. records.Select(r => sources.TryGetValue(r.Source, out var n) ? n : sources[r.Source] = sources.Count)];
    }

    static long[] Concat(long[][] parts)
    {
        var all = new long[parts.Sum(p => p.Length)];
        var at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(all, at);
            at += part.Length;
        }
        return all;
    }

    /// <summary>Sorts the keys and moves the distinct ones to the front; returns how many there are. Pair keys sort as (a, b).</summary>
    internal static int SortUnique(long[] keys)
    {
        Array.Sort(keys);
        var n = 0;
        for (var k = 0; k < keys.Length; k++)
        {
            if (n == 0 || keys[k] != keys[n - 1])
            {
                keys[n++] = keys[k];
            }
        }
        return n;
    }

    internal static long Key(int a, int b) => a < b ? ((long)a << 32) | (uint)b : ((long)b << 32) | (uint)a;
}
