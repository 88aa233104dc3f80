using System.Diagnostics;
using System.Globalization;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using PaduHub.Matching;

namespace PaduHub.GoldenRecords;

/// <summary>
/// Which match run an index reflects. The start time is part of it because a run id alone can come back: incremental
/// runs commit without waiting for the disk, and if PostgreSQL crashes before it writes one out, its id may be drawn
/// again by a different run, which an index stamped with the lost run must not be taken for.
/// </summary>
public readonly record struct MatchRunStamp(long Id, DateTime StartedAt)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Id}@{StartedAt.ToUniversalTime().Ticks}");
}

/// <summary>
/// The hub's standing Lucene index of every active source record, kept on disk so an incremental match asks it for
/// candidates instead of rebuilding anything. Each commit is stamped with the match run it reflects; an index whose
/// stamp differs from the database's last run (a crash between the two commits, a restored backup) is rebuilt.
/// </summary>
public sealed class MatchIndex : IDisposable
{
    const string RunKey = "match_run";
    readonly Lucene.Net.Store.Directory _directory;
    readonly IndexWriter _writer;
    readonly MatchSettings _settings;
    Stopwatch _committed = Stopwatch.StartNew();
    DirectoryReader? _reader;

    MatchIndex(string folder, MatchSettings settings, bool create)
    {
        System.IO.Directory.CreateDirectory(folder);
        _settings = settings;
        // A one-record run flushes a tiny segment; these are kept in memory until the next commit instead of each
        // becoming files, and they merge among themselves: with the default 2 MB floor every segment of a small index
        // counted as "small", so every tenth run rewrote the whole index (Lucene's merge thread was 27 % of the CPU
        // while one record at a time was matched at 5,000 people, measured with perf).
        _directory = new NRTCachingDirectory(FSDirectory.Open(folder), maxMergeSizeMB: 4, maxCachedMB: 32);
        _writer = new IndexWriter(_directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new KeywordAnalyzer())
        {
            OpenMode = create ? OpenMode.CREATE : OpenMode.CREATE_OR_APPEND,
            RAMBufferSizeMB = 128,
            // The writer keeps its segments' readers open, so a near-real-time reader after a one-record change opens
            // only the new segment.
            UseReaderPooling = true,
            MergePolicy = new TieredMergePolicy { FloorSegmentMB = 0.05 },
        });
    }

    /// <summary>Opens the index if it reflects <paramref name="run"/>; otherwise returns null and the caller rebuilds.</summary>
    public static MatchIndex? OpenIfCurrent(string folder, MatchRunStamp run, MatchSettings settings)
    {
        if (!System.IO.Directory.Exists(folder))
        {
            return null;
        }
        using (var directory = FSDirectory.Open(folder))
        {
            if (!DirectoryReader.IndexExists(directory))
            {
                return null;
            }
            var commits = DirectoryReader.ListCommits(directory);
            var stamp = commits[^1].UserData.TryGetValue(RunKey, out var s) ? s : null;
            if (stamp != run.ToString())
            {
                return null;
            }
        }
        return new MatchIndex(folder, settings, create: false);
    }

    public static MatchIndex Rebuild(string folder, IReadOnlyList<MatchRecord> records, MatchRunStamp run, MatchSettings settings)
    {
        var index = Build(folder, records, settings);
        index.Commit(run);
        return index;
    }

    /// <summary>
    /// A new index of these records in the folder, not yet committed: until <see cref="Commit"/> the folder's last
    /// commit is still the one on disk, and <see cref="Abandon"/> goes back to it.
    /// </summary>
    public static MatchIndex Build(string folder, IReadOnlyList<MatchRecord> records, MatchSettings settings)
    {
        var index = new MatchIndex(folder, settings, create: true);
        try
        {
            foreach (var record in records)
            {
                index._writer.AddDocument(index.Document(record));
            }
        }
        catch
        {
            index.Abandon();
            throw;
        }
        return index;
    }

    /// <summary>
    /// One document reused for every record, its fields too: a new field per term made Lucene build a token stream and
    /// its attribute maps for every term of every record (perf), and building the index of a million records took 68 to
    /// 82 s against 37 to 41 s now.
    /// Not thread-safe, as the writer's callers already are not (they hold the index's gate).
    /// </summary>
    readonly Document _document = [];
    readonly Dictionary<string, List<StringField>> _fields = new(StringComparer.Ordinal);
    readonly Dictionary<string, int> _fieldsUsed = new(StringComparer.Ordinal);

    Document Document(MatchRecord record)
    {
        _document.Fields.Clear();
        _fieldsUsed.Clear();
        Add("id", record.Key, Field.Store.YES);
        foreach (var (field, term, _) in CandidateIndex.TermsOf(record))
        {
            Add(field, term, Field.Store.NO);
        }
        foreach (var key in CandidateIndex.ExactKeys(record))
        {
            Add("x", key, Field.Store.NO);
        }
        return _document;

        void Add(string name, string value, Field.Store store)
        {
            if (!_fields.TryGetValue(name, out var fields))
            {
                _fields[name] = fields = [];
            }
            var used = _fieldsUsed.GetValueOrDefault(name);
            if (used == fields.Count)
            {
                fields.Add(new StringField(name, value, store));
            }
            else
            {
                fields[used].SetStringValue(value);
            }
            _fieldsUsed[name] = used + 1;
            _document.Add(fields[used]);
        }
    }

    /// <summary>Adds or replaces a record (keyed by its source record id).</summary>
    public void Put(MatchRecord record) => _writer.UpdateDocument(new Term("id", record.Key), Document(record));

    public void Remove(long sourceRecordId) => _writer.DeleteDocuments(new Term("id", sourceRecordId.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Makes the index durable, stamped with the run it reflects.</summary>
    public void Commit(MatchRunStamp run)
    {
        Stamp(run);
        _writer.Commit();
        _committed = Stopwatch.StartNew();
    }

    /// <summary>
    /// Records which run the index now reflects, without making it durable: the next <see cref="Commit"/>, or closing
    /// the index, writes it to disk with this stamp. A crash before then leaves the disk at an older stamp, and the next
    /// run rebuilds the index from the database.
    /// </summary>
    public void Stamp(MatchRunStamp run) => _writer.SetCommitData(new Dictionary<string, string> { [RunKey] = run.ToString() });

    /// <summary>How long since the index was last made durable.</summary>
    public TimeSpan SinceCommit => _committed.Elapsed;

    /// <summary>Source record ids worth comparing with this record: its top-k look-alikes and its exact-key block mates.</summary>
    public HashSet<long> Candidates(IEnumerable<MatchRecord> records)
    {
        var reader = Reader();
        var searcher = new IndexSearcher(reader);
        var found = new HashSet<long>();
        void Add(int doc) => found.Add(long.Parse(reader.Document(doc).Get("id"), CultureInfo.InvariantCulture));
        foreach (var record in records)
        {
            if (CandidateIndex.Query(reader, record, _settings.MaxTermDocs) is { } query)
            {
                foreach (var hit in searcher.Search(query, _settings.TopK + 1).ScoreDocs)
                {
                    Add(hit.Doc);
                }
            }
            foreach (var key in CandidateIndex.ExactKeys(record))
            {
                var term = new Term("x", key);
                var states = TermContext.Build(reader.Context, term);
                if (states.DocFreq is > 1 and var df && df <= _settings.MaxBlock)
                {
                    foreach (var hit in searcher.Search(new TermQuery(term, states), _settings.MaxBlock).ScoreDocs)
                    {
                        Add(hit.Doc);
                    }
                }
            }
        }
        return found;
    }

    /// <summary>
    /// A reader that sees every put and remove so far. Reopened from the last one, which shares the segments that did
    /// not change, where a fresh near-real-time reader for every run opened every segment again.
    /// </summary>
    DirectoryReader Reader()
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
        return _reader;
    }

    /// <summary>
    /// Closes without committing: whatever was put or removed since the last commit is dropped, including runs only
    /// stamped, so the disk's stamp no longer matches the database and the next run rebuilds the index.
    /// </summary>
    public void Abandon()
    {
        _reader?.Dispose();
        _writer.Rollback();
        _directory.Dispose();
    }

    /// <summary>Closes the index, committing what was stamped since the last commit (Lucene commits on close).</summary>
    public void Dispose()
    {
        _reader?.Dispose();
        _writer.Dispose();
        _directory.Dispose();
    }
}
