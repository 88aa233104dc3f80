using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace PaduHub.Matching;

/// <summary>What blocking did: how many pairs it handed to scoring and which common values it refused to block on.</summary>
public sealed record BlockingReport(long PairsCompared, long FromIndex, long FromExactKeys, int OversizedBlocks, int SkippedCommonTerms,
    double IndexSeconds = 0, double QuerySeconds = 0);

/// <summary>
/// Candidate generation. Every record goes into a Lucene index as terms (canonical name words and their sound keys,
/// date of birth, each identifier and its halves, postcode, phone, email); each record then asks the index for its
/// top-k most alike records. Terms carried by more than <see cref="MatchSettings.MaxTermDocs"/> records are left out
/// of queries (a placeholder IC or MUHAMMAD would otherwise visit half the country), and exact-key blocks (same
/// identifier, same date of birth and first-name sound, same phone, same email) add the pairs top-k could miss in a
/// crowd, capped at <see cref="MatchSettings.MaxBlock"/> records a block.
/// </summary>
public sealed class CandidateIndex : IDisposable
{
    readonly RAMDirectory _directory = new();
    readonly DirectoryReader _reader;
    readonly MatchSettings _settings;
    int _skippedTerms;

    public CandidateIndex(IReadOnlyList<MatchRecord> records, MatchSettings settings)
    {
        _settings = settings;
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, new KeywordAnalyzer())
        {
            OpenMode = OpenMode.CREATE,
            RAMBufferSizeMB = 256,
            // Merging only neighbouring segments keeps document numbers in insertion order: doc id == record index.
            MergePolicy = new LogByteSizeMergePolicy(),
        };
        using (var writer = new IndexWriter(_directory, config))
        {
            var terms = new List<(string Field, string Term, float Boost)>();
            foreach (var record in records)
            {
                terms.Clear();
                Terms(record, terms);
                var document = new Document();
                foreach (var (field, term, _) in terms)
                {
                    document.Add(new StringField(field, term, Field.Store.NO));
                }
                writer.AddDocument(document);
            }
            writer.Commit();
        }
        _reader = DirectoryReader.Open(_directory);
        if (_reader.MaxDoc != records.Count)
        {
            throw new InvalidOperationException($"index holds {_reader.MaxDoc} documents for {records.Count} records");
        }
    }

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
    /// The top-k query for one record against a standing index: its terms as SHOULD clauses with their boosts, leaving
    /// out terms only this record carries and terms too common to search on. Null when nothing is left to ask.
    /// </summary>
    internal static BooleanQuery? Query(IndexReader reader, MatchRecord record, int maxTermDocs)
    {
        var query = new BooleanQuery();
        foreach (var (field, text, boost) in TermsOf(record).Distinct())
        {
            var term = new Term(field, text);
            var df = reader.DocFreq(term);
            if (df > 1 && df <= maxTermDocs)
            {
                query.Add(new TermQuery(term) { Boost = boost }, Occur.SHOULD);
            }
        }
        return query.Clauses.Count == 0 ? null : query;
    }

    /// <summary>
    /// Candidate pairs (a &lt; b) for a whole run: each record's top-k plus the exact-key blocks. For a whole run the
    /// top-k is computed from the index's postings in one pass rather than one Lucene query per record: the same
    /// TF-IDF arithmetic (idf = 1 + ln(N / (df + 1)) times the field's boost, summed over shared terms), at a tenth of the
    /// cost, because every query of a full run would re-read the same postings.
    /// </summary>
    public static (List<(int A, int B)> Pairs, BlockingReport Report) Pairs(IReadOnlyList<MatchRecord> records, MatchSettings settings)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var index = new CandidateIndex(records, settings);
        var indexSeconds = clock.Elapsed.TotalSeconds;
        var postings = index.Postings();
        var partitions = Environment.ProcessorCount;
        var partial = new List<long>[partitions];
        Parallel.For(0, partitions, p =>
        {
            var local = new List<long>();
            var score = new float[records.Count];
            var touched = new List<int>();
            var terms = new List<(string Field, string Term, float Boost)>();
            var top = new PriorityQueue<int, float>();
            for (var i = p; i < records.Count; i += partitions)
            {
                terms.Clear();
                Terms(records[i], terms);
                foreach (var (field, text, boost) in terms.Distinct())
                {
                    if (!postings.TryGetValue(field + "\u0001" + text, out var docs))
                    {
                        continue;
                    }
                    var weight = (float)(boost * (1 + Math.Log((double)records.Count / (docs.Length + 1))));
                    foreach (var d in docs)
                    {
                        if (score[d] == 0)
                        {
                            touched.Add(d);
                        }
                        score[d] += weight;
                    }
                }
                foreach (var d in touched)
                {
                    if (d != i)
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
            partial[p] = local;
        });
        var seen = new HashSet<long>(partial.Sum(l => l.Count));
        foreach (var local in partial)
        {
            seen.UnionWith(local);
        }
        var fromIndex = seen.Count;
        var querySeconds = clock.Elapsed.TotalSeconds - indexSeconds;

        var blocks = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var r in records)
        {
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
                    seen.Add(Key(members[x], members[y]));
                }
            }
        }
        var pairs = seen.Select(k => ((int)(k >> 32), (int)(k & 0xFFFFFFFF))).ToList();
        pairs.Sort();
        return (pairs, new BlockingReport(pairs.Count, fromIndex, pairs.Count - fromIndex, oversized, index._skippedTerms,
            Math.Round(indexSeconds, 3), Math.Round(querySeconds, 3)));
    }

    static long Key(int a, int b) => a < b ? ((long)a << 32) | (uint)b : ((long)b << 32) | (uint)a;

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

    /// <summary>Every term carried by 2 to MaxTermDocs records, with the documents (record indexes) that carry it.</summary>
    Dictionary<string, int[]> Postings()
    {
        var postings = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var fields = MultiFields.GetFields(_reader);
        foreach (var field in fields)
        {
            var termsEnum = fields.GetTerms(field).GetEnumerator();
            DocsEnum? docsEnum = null;
            var liveDocs = MultiFields.GetLiveDocs(_reader);
            while (termsEnum.MoveNext())
            {
                var df = termsEnum.DocFreq;
                if (df < 2)
                {
                    continue;
                }
                if (df > _settings.MaxTermDocs)
                {
                    _skippedTerms++;
                    continue;
                }
                var docs = new int[df];
                docsEnum = termsEnum.Docs(liveDocs, docsEnum, DocsFlags.NONE);
                var n = 0;
                int doc;
                while ((doc = docsEnum.NextDoc()) != DocIdSetIterator.NO_MORE_DOCS && n < docs.Length)
                {
                    docs[n++] = doc;
                }
                postings[field + "\u0001" + termsEnum.Term.Utf8ToString()] = docs;
            }
        }
        return postings;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
    }
}
