using System.Globalization;

namespace PaduHub.Matching;

/// <summary>
/// Candidate generation. Every record is described by terms (canonical name words and their sound keys, date of birth,
/// each identifier and its halves, postcode, phone, email) and gets its top-k most alike records by those terms: a
/// whole run computes them all at once from in-memory postings (<see cref="Pairs"/>), and the hub's standing Lucene
/// index answers the same question one record at a time for incremental matching (<see cref="GoldenRecords.MatchIndex.Candidates"/>), with the same arithmetic. Terms
/// carried by more than <see cref="MatchSettings.MaxTermDocs"/> records are left out of queries (a placeholder IC or
/// MUHAMMAD would otherwise visit half the country), and exact-key blocks (same
/// identifier, same date of birth and first-name sound, same phone, same email) add the pairs top-k could miss in a
/// crowd, capped at <see cref="MatchSettings.MaxBlock"/> records a block.
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

    static void Terms(MatchRecord r, List<(string Field, string Term, float Boost)> terms)
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
    /// Candidate pairs (a &lt; b) for a whole run: each record's top-k plus the exact-key blocks. A whole run scores
    /// every record against every other at once, so it needs no query engine, only postings: each distinct term is
    /// numbered once, every record becomes an array of term numbers, and the top-k comes from one pass over the
    /// postings with the arithmetic the standing index also uses (idf = 1 + ln(N / (df + 1)) times the field's boost,
    /// summed over shared terms). Building a Lucene index only to read its postings back, and a string-keyed pass over
    /// them, each took longer than the whole of blocking does now (decision 7).
    /// </summary>
    public static (List<(int A, int B)> Pairs, BlockingReport Report) Pairs(IReadOnlyList<MatchRecord> records, MatchSettings settings)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var termIndex = NumberedTerms.Of(records);
        var postings = termIndex.Postings(settings.MaxTermDocs, out var skipped);
        var firstOf = FirstIdentical(records, out var identical);
        // Linking two sources: a record's own source is never searched, nor paired by a block; copies inside one source
        // are left as they are, since they are not to be paired.
        var side = settings.AcrossSourcesOnly ? SidesOf(records) : null;
        if (side is not null)
        {
            firstOf = [.. Enumerable.Range(0, records.Count)];
            identical = 0;
        }
        // Read for every record a search touches: a byte each stays in cache where the first's index would not.
        var isCopy = new bool[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            isCopy[i] = firstOf[i] != i;
        }
        var indexSeconds = clock.Elapsed.TotalSeconds;
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
            var touched = new List<int>();
            var top = new PriorityQueue<int, float>();
            for (var i = p; i < records.Count; i += partitions)
            {
                if (isCopy[i])
                {
                    continue;
                }
                for (var k = termIndex.Start[i]; k < termIndex.Start[i + 1]; k++)
                {
                    var t = termIndex.Terms[k];
                    var weight = termWeight[t];
                    for (var x = postings.Start[t]; x < postings.Start[t + 1]; x++)
                    {
                        var d = postings.Docs[x];
                        if (score[d] == 0)
                        {
                            touched.Add(d);
                        }
                        score[d] += weight;
                    }
                }
                foreach (var d in touched)
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
                touched.Clear();
                while (top.TryDequeue(out var j, out _))
                {
                    local.Add(Key(i, j));
                }
            }
            partial[p] = [.. local];
        });
        var fromIndexKeys = Concat(partial);
        var fromIndex = SortUnique(fromIndexKeys);
        var querySeconds = clock.Elapsed.TotalSeconds - indexSeconds;

        var blocks = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var nothingToMatchOn = 0;
        foreach (var r in records)
        {
            if (termIndex.Start[r.Index + 1] == termIndex.Start[r.Index] && !ExactKeys(r).Any())
            {
                nothingToMatchOn++;
            }
            if (firstOf[r.Index] != r.Index)
            {
                continue;
            }
            foreach (var key in ExactKeys(r))
            {
                if (!blocks.TryGetValue(key, out var members))
                {
                    blocks[key] = members = [];
                }
                if (members.Count <= settings.MaxBlock)
                {
                    members.Add(r.Index);
                }
            }
        }
        var oversized = 0;
        var fromBlocks = new List<long>();
        for (var i = 0; i < records.Count; i++)
        {
            if (firstOf[i] != i)
            {
                fromBlocks.Add(Key(firstOf[i], i));
            }
        }
        foreach (var members in blocks.Values)
        {
            if (members.Count > settings.MaxBlock)
            {
                oversized++;
                continue;
            }
            for (var x = 0; x < members.Count; x++)
            {
                for (var y = x + 1; y < members.Count; y++)
                {
                    if (side is null || side[members[x]] != side[members[y]])
                    {
                        fromBlocks.Add(Key(members[x], members[y]));
                    }
                }
            }
        }
        var all = new long[fromIndex + fromBlocks.Count];
        Array.Copy(fromIndexKeys, all, fromIndex);
        fromBlocks.CopyTo(all, fromIndex);
        var count = SortUnique(all);
        var pairs = new List<(int A, int B)>(count);
        for (var k = 0; k < count; k++)
        {
            pairs.Add(((int)(all[k] >> 32), (int)(all[k] & 0xFFFFFFFF)));
        }
        return (pairs, new BlockingReport(pairs.Count, fromIndex, pairs.Count - fromIndex, oversized, skipped,
            Math.Round(indexSeconds, 3), Math.Round(querySeconds, 3), nothingToMatchOn, identical));
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
    static int SortUnique(long[] keys)
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

    /// <summary>
    /// Every record's distinct terms as numbers (record i's are Terms[Start[i]..Start[i + 1]], in the order
    /// <see cref="Terms"/> gives them, so ties in the top-k break as the Lucene queries' do), with each term's boost.
    /// </summary>
    sealed class NumberedTerms
    {
        public required int[] Start { get; init; }
        public required int[] Terms { get; init; }
        public required List<float> Boosts { get; init; }

        public static NumberedTerms Of(IReadOnlyList<MatchRecord> records)
        {
            // One dictionary per field, so a term is looked up by its text alone, with no key string built for it.
            var numbers = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
            var boosts = new List<float>();
            var start = new int[records.Count + 1];
            var ids = new List<int>(records.Count * 24);
            var terms = new List<(string Field, string Term, float Boost)>();
            for (var i = 0; i < records.Count; i++)
            {
                terms.Clear();
                CandidateIndex.Terms(records[i], terms);
                var first = ids.Count;
                foreach (var (field, text, boost) in terms)
                {
                    if (!numbers.TryGetValue(field, out var ofField))
                    {
                        numbers[field] = ofField = new Dictionary<string, int>(StringComparer.Ordinal);
                    }
                    if (!ofField.TryGetValue(text, out var id))
                    {
                        ofField[text] = id = boosts.Count;
                        boosts.Add(boost);
                    }
                    if (!System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ids)[first..].Contains(id))
                    {
                        ids.Add(id);
                    }
                }
                start[i + 1] = ids.Count;
            }
            return new NumberedTerms { Start = start, Terms = [.. ids], Boosts = boosts };
        }

        /// <summary>The records carrying each term, for terms carried by 2 to maxDocs records; the rest get none.</summary>
        public (int[] Start, int[] Docs) Postings(int maxDocs, out int skipped)
        {
            var df = new int[Boosts.Count];
            foreach (var t in Terms)
            {
                df[t]++;
            }
            skipped = 0;
            var start = new int[df.Length + 1];
            for (var t = 0; t < df.Length; t++)
            {
                var kept = df[t] >= 2 && df[t] <= maxDocs;
                if (df[t] > maxDocs)
                {
                    skipped++;
                }
                start[t + 1] = start[t] + (kept ? df[t] : 0);
            }
            var docs = new int[start[^1]];
            var next = start[..^1];
            for (var i = 0; i + 1 < Start.Length; i++)
            {
                for (var k = Start[i]; k < Start[i + 1]; k++)
                {
                    var t = Terms[k];
                    if (next[t] < start[t + 1])
                    {
                        docs[next[t]++] = i;
                    }
                }
            }
            return (start, docs);
        }
    }

    static long Key(int a, int b) => a < b ? ((long)a << 32) | (uint)b : ((long)b << 32) | (uint)a;

    /// <summary>
    /// For each record, the first record identical to it in everything compared, or itself: a copy is the same record
    /// sent again. It is paired with that first one alone and is neither searched nor blocked on, nor found in a
    /// search, so a file loaded a thousand times costs a thousand pairs and leaves every other record its own top-k.
    /// Scoring still decides: copies of a record with nothing to match on stay apart.
    /// </summary>
    static int[] FirstIdentical(IReadOnlyList<MatchRecord> records, out int identical)
    {
        var hashes = new (int, int)[records.Count];
        Parallel.For(0, records.Count, i => hashes[i] = ContentHash(records[i]));
        var firstOf = new int[records.Count];
        var first = new Dictionary<(int, int), int>(records.Count);
        identical = 0;
        for (var i = 0; i < records.Count; i++)
        {
            firstOf[i] = i;
            if (!first.TryAdd(hashes[i], i) && first[hashes[i]] is var earlier && SameContent(records[earlier], records[i]))
            {
                firstOf[i] = earlier;
                identical++;
            }
        }
        return firstOf;
    }

    /// <summary>Two independent 32-bit hashes of what comparing reads; equal contents always agree, different ones almost never both do.</summary>
    static (int, int) ContentHash(MatchRecord r)
    {
        var (x, y) = (new HashCode(), new HashCode());
        y.Add(0x5041_4455);
        foreach (var field in ContentFields(r))
        {
            x.Add(field, StringComparer.Ordinal);
            y.Add(field?.Length ?? -1);
            y.Add(field, StringComparer.Ordinal);
        }
        return (x.ToHashCode(), y.ToHashCode());
    }

    static bool SameContent(MatchRecord a, MatchRecord b) => ContentFields(a).SequenceEqual(ContentFields(b), StringComparer.Ordinal);

    static IEnumerable<string?> ContentFields(MatchRecord r)
    {
        yield return r.Given;
        yield return r.Family;
        yield return r.FullName;
        yield return r.DateOfBirth;
        yield return r.Sex == '\0' ? null : r.Sex.ToString();
        yield return r.Identifiers.Length.ToString(CultureInfo.InvariantCulture);
        foreach (var id in r.Identifiers)
        {
            yield return id.Kind;
            yield return id.Value;
        }
        yield return r.Street;
        yield return r.Unit;
        yield return r.Postcode;
        yield return r.City;
        yield return r.State;
        yield return r.Phone;
        yield return r.Email;
    }

    /// <summary>Keys that, shared, make two records worth comparing whatever else differs.</summary>
    internal static IEnumerable<string> ExactKeys(MatchRecord r)
    {
        foreach (var id in r.Identifiers)
        {
            yield return "i:" + id.Value;
        }
        if (r.DateOfBirth is { } dob && r.NameTokens.Length > 0)
        {
            var first = r.Given?.Split(' ')[0] ?? r.NameTokens[0];
            yield return "d:" + dob + ":" + Similarity.Phonetic(first);
        }
        if (r.Phone is { } phone)
        {
            yield return "p:" + phone;
        }
        if (r.Email is { } email)
        {
            yield return "e:" + email;
        }
    }
}
