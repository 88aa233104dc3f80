// Hot path: every incremental run asks this index for candidates; its reader, enumerators and buffers stay with the index they serve.
using System.Globalization;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using PaduHub.Matching;

namespace PaduHub.GoldenRecords;

/// <summary>The standing index searched: an incremental run's candidates, read straight from its postings.</summary>
public sealed partial class MatchIndex
{
    /// <summary>
    /// Source record ids worth comparing with these records: each one's top-k look-alikes and its exact-key block mates.
    /// The top-k is scored with the full run's arithmetic (<see cref="CandidateIndex.Pairs"/>: each shared term counts
    /// its boost times 1 + ln(N / (df + 1)), terms too common to search on left out) straight from the index's postings.
    /// A Lucene query did the same with its own formula, and its scorer allocated a table of buckets per segment per
    /// query, a third of a one-record run (decision 7).
    /// </summary>
    public HashSet<long> Candidates(IEnumerable<MatchRecord> records)
    {
        var reader = Reader();
        var leaves = reader.Leaves;
        var foundDocs = new HashSet<int>();
        var foundKeys = new HashSet<string>(StringComparer.Ordinal);
        var score = new Dictionary<int, float>();
        var unsearchedScore = new Dictionary<string, float>(StringComparer.Ordinal);
        var top = new PriorityQueue<(int Doc, string? Key), (float Score, int NegativeDoc)>();
        foreach (var record in records)
        {
            score.Clear();
            unsearchedScore.Clear();
            foreach (var (field, text, boost) in CandidateIndex.TermsOf(record).Distinct())
            {
                var found = Seek(leaves, field, text);
                var carriers = Carriers(field, text);
                var df = found.DocFreq + carriers.Count;
                if (df > 1 && df <= _settings.MaxTermDocs)
                {
                    var weight = (float)(boost * (1 + Math.Log((double)(reader.NumDocs + _unsearched.Count) / (df + 1))));
                    ForEachDoc(leaves, found, doc => score[doc] = score.GetValueOrDefault(doc) + weight);
                    foreach (var key in carriers)
                    {
                        unsearchedScore[key] = unsearchedScore.GetValueOrDefault(key) + weight;
                    }
                }
            }
            // Highest scores first, the lower document on a tie; one more than k, as the record itself is usually there.
            void Offer((int Doc, string? Key) candidate, float s)
            {
                top.Enqueue(candidate, (s, -candidate.Doc));
                if (top.Count > _settings.TopK + 1)
                {
                    top.Dequeue();
                }
            }
            foreach (var (doc, s) in score)
            {
                Offer((doc, null), s);
            }
            foreach (var (key, s) in unsearchedScore)
            {
                Offer((-1, key), s);
            }
            while (top.TryDequeue(out var candidate, out _))
            {
                if (candidate.Key is { } key)
                {
                    foundKeys.Add(key);
                }
                else
                {
                    foundDocs.Add(candidate.Doc);
                }
            }
            AddBlockMates(leaves, record, foundDocs, foundKeys);
        }
        foundKeys.UnionWith(foundDocs.Select(doc => reader.Document(doc).Get("id")));
        return foundKeys.Select(key => long.Parse(key, CultureInfo.InvariantCulture)).ToHashSet();
    }

    /// <summary>The record's exact-key block mates, for blocks no larger than <see cref="MatchSettings.MaxBlock"/>.</summary>
    void AddBlockMates(IList<AtomicReaderContext> leaves, MatchRecord record, HashSet<int> foundDocs, HashSet<string> foundKeys)
    {
        foreach (var exactKey in BlockingPasses.KeysOf(record))
        {
            var (field, term) = ExactKeyTerm(exactKey);
            var found = Seek(leaves, field, term);
            var carriers = Carriers(ExactField, exactKey);
            var df = found.DocFreq + carriers.Count;
            if (df > 1 && df <= _settings.MaxBlock)
            {
                ForEachDoc(leaves, found, doc => foundDocs.Add(doc));
                foundKeys.UnionWith(carriers);
            }
        }
    }

    /// <summary>Where the term is: how many documents carry it, and its place in each segment that has it.</summary>
    Found Seek(IList<AtomicReaderContext> leaves, string field, string text)
    {
        var bytes = new BytesRef(text);
        var places = new List<(int, TermState)>();
        var df = 0;
        for (var leaf = 0; leaf < leaves.Count; leaf++)
        {
            if (TermsEnumOf(leaves, leaf, field) is { } terms && terms.SeekExact(bytes))
            {
                df += terms.DocFreq;
                places.Add((leaf, terms.GetTermState()));
            }
        }
        return new Found(field, bytes, df, places);
    }

    /// <summary>Every live document carrying the term, by its number in the whole index.</summary>
    void ForEachDoc(IList<AtomicReaderContext> leaves, Found found, Action<int> visit)
    {
        foreach (var (leaf, state) in found.Places)
        {
            var terms = TermsEnumOf(leaves, leaf, found.Field)!;
            terms.SeekExact(found.Bytes, state);
            var docs = _docs[leaf] = terms.Docs(leaves[leaf].AtomicReader.LiveDocs, _docs[leaf], DocsFlags.NONE);
            for (var doc = docs.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.NextDoc())
            {
                visit(leaves[leaf].DocBase + doc);
            }
        }
    }

    TermsEnum? TermsEnumOf(IList<AtomicReaderContext> leaves, int leaf, string field)
    {
        if (!_terms.TryGetValue((leaf, field), out var terms))
        {
            _terms[(leaf, field)] = terms = leaves[leaf].AtomicReader.GetTerms(field)?.GetEnumerator();
        }
        return terms;
    }

    sealed record Found(string Field, BytesRef Bytes, int DocFreq, List<(int Leaf, TermState State)> Places);

    /// <summary>
    /// Term and postings enumerators of the open reader, by segment and field, reused from one search to the next: a new
    /// enumerator per term and segment allocated megabytes per record searched, and the collections that followed
    /// were the slowest runs (decision 7).
    /// </summary>
    readonly Dictionary<(int Leaf, string Field), TermsEnum?> _terms = [];
    DocsEnum?[] _docs = [];

    /// <summary>
    /// A reader that sees every put and remove so far. Reopened from the last one, which shares the segments that did
    /// not change, where a fresh near-real-time reader for every run opened every segment again.
    /// </summary>
    DirectoryReader Reader()
    {
        if (_reader is null || _unsearched.Count > ReopenAfter)
        {
            Reopen();
        }
        return _reader!;
    }

    void Reopen()
    {
        if (_reader is null)
        {
            _reader = _writer.GetReader(applyAllDeletes: true);
        }
        else if (DirectoryReader.OpenIfChanged(_reader, _writer, applyAllDeletes: true) is { } newer)
        {
            _reader.Dispose();
            _reader = newer;
        }
        _unsearched.Clear();
        _carriers.Clear();
        _terms.Clear();
        _docs = new DocsEnum?[_reader.Leaves.Count];
    }
}
