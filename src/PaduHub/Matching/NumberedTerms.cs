namespace PaduHub.Matching;

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
