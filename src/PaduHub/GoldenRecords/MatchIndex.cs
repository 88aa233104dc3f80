// Hot path: every incremental run asks this index for candidates; its reader, enumerators and buffers stay with the index they serve.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;
using PaduHub.Matching;

namespace PaduHub.GoldenRecords;

/// <summary>
/// The hub's standing Lucene index of every active source record, kept on disk so an incremental match asks it for
/// candidates instead of rebuilding anything. Each commit is stamped with the match run it reflects; an index whose
/// stamp differs from the database's last run (a crash between the two commits, a restored backup) is rebuilt.
/// </summary>
public sealed partial class MatchIndex : IDisposable
{
    const string RunKey = "match_run";

    /// <summary>
    /// Which terms and blocking keys the index holds; raised whenever <see cref="CandidateIndex"/> or
    /// <see cref="BlockingPasses"/> change what a record is indexed by, so an index built by an older version is rebuilt.
    /// </summary>
    const int TermsVersion = 4;

    static string StampOf(MatchRunStamp run) => $"{run} terms:{TermsVersion}";
    readonly Lucene.Net.Store.Directory _directory;
    readonly IndexWriter _writer;
    readonly MatchSettings _settings;
    Stopwatch _committed = Stopwatch.StartNew();
    DirectoryReader? _reader;

    const double BufferMB = 128, BuildBufferMB = 512;

    MatchIndex(string folder, MatchSettings settings, bool create)
    {
        System.IO.Directory.CreateDirectory(folder);
        _settings = settings;
        // A one-record run flushes a tiny segment; these are kept in memory until the next commit instead of each
        // becoming files, and they merge among themselves: with the default 2 MB floor every segment of a small index
        // counted as "small", so every tenth run rewrote the whole index (decision 7).
        _directory = new NRTCachingDirectory(FSDirectory.Open(folder), maxMergeSizeMB: 4, maxCachedMB: 32);
        _writer = new IndexWriter(_directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new KeywordAnalyzer())
        {
            OpenMode = create ? OpenMode.CREATE : OpenMode.CREATE_OR_APPEND,
            RAMBufferSizeMB = BufferMB,
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
            if (stamp != StampOf(run))
            {
                return null;
            }
        }
        return new MatchIndex(folder, settings, create: false);
    }

    /// <summary>The run the index's last commit on disk reflects; null when there is none, or it holds other terms than this version's.</summary>
    public static MatchRunStamp? StampOnDisk(string folder)
    {
        if (!System.IO.Directory.Exists(folder))
        {
            return null;
        }
        using var directory = FSDirectory.Open(folder);
        if (!DirectoryReader.IndexExists(directory))
        {
            return null;
        }
        var stamp = DirectoryReader.ListCommits(directory)[^1].UserData.TryGetValue(RunKey, out var s) ? s : null;
        // "id@ticks terms:version", as StampOf writes it.
        var parts = stamp?.Split(' ');
        if (parts is not [var run, var terms] || terms != $"terms:{TermsVersion}" || run.Split('@') is not [var id, var ticks]
            || !long.TryParse(id, System.Globalization.CultureInfo.InvariantCulture, out var runId)
            || !long.TryParse(ticks, System.Globalization.CultureInfo.InvariantCulture, out var startedTicks))
        {
            return null;
        }
        return new MatchRunStamp(runId, new DateTime(startedTicks, DateTimeKind.Utc));
    }

    /// <summary>Opens the index at its last commit, whatever run that reflects (the caller brings it up to date).</summary>
    public static MatchIndex OpenAsItIs(string folder, MatchSettings settings) => new(folder, settings, create: false);

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
    public static MatchIndex Build(string folder, IReadOnlyList<MatchRecord> records, MatchSettings settings,
        CancellationToken stop = default)
    {
        var index = new MatchIndex(folder, settings, create: true);
        // A whole population at once gets a larger buffer: smaller flushes made segments that Lucene then sorted and
        // merged again (decision 7). One-record runs go back to the usual buffer. The reader opened at the end writes
        // what is still buffered as segments here, on the build's own thread: otherwise the run's commit did it after
        // the database's, time no phase counted.
        index._writer.Config.RAMBufferSizeMB = BuildBufferMB;
        try
        {
            for (var i = 0; i < records.Count; i++)
            {
                if (i % 4096 == 0)
                {
                    stop.ThrowIfCancellationRequested();
                }
                index._writer.AddDocument(index.Document(records[i].Key, IndexTerms(records[i])));
            }
            index._writer.Config.RAMBufferSizeMB = BufferMB;
            index.Reopen();
        }
        catch
        {
            index.Abandon();
            throw;
        }
        return index;
    }

    /// <summary>
    /// <see cref="Build"/> on a thread of its own that yields its core to anything else that wants one, so the index
    /// fills the time the rest of a full run leaves a core idle instead of taking a share of the cores comparing uses.
    /// <paramref name="stop"/> gives the build up (a run that failed does not wait for its index).
    /// </summary>
    public static Task<MatchIndex> BuildBeside(string folder, IReadOnlyList<MatchRecord> records, MatchSettings settings,
        CancellationToken stop)
    {
        var built = new TaskCompletionSource<MatchIndex>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            YieldToOtherWork();
            var watch = Stopwatch.StartNew();
            try
            {
                var index = Build(folder, records, settings, stop);
                index.BuildSeconds = Math.Round(watch.Elapsed.TotalSeconds, 3);
                built.SetResult(index);
            }
            catch (Exception e)
            {
                built.SetException(e);
            }
        })
        { IsBackground = true, Name = "standing index build" };
        thread.Start();
        return built.Task;
    }

    /// <summary>How long <see cref="BuildBeside"/> took, waits for a core included.</summary>
    public double BuildSeconds { get; private set; }

    /// <summary>
    /// The lowest scheduling priority for the calling thread (and the merge threads it starts, which inherit it). .NET
    /// does not lower a thread's priority on Linux, so there it is the thread's nice value, which the kernel lets any
    /// thread raise for itself.
    /// </summary>
    static void YieldToOtherWork()
    {
        if (OperatingSystem.IsLinux())
        {
            _ = setpriority(0 /* PRIO_PROCESS: with a thread id, that thread */, gettid(), 19);
        }
        else
        {
            Thread.CurrentThread.Priority = ThreadPriority.Lowest;
        }
    }

    [DllImport("libc")]
    static extern int setpriority(int which, int who, int prio);

    [DllImport("libc")]
    static extern int gettid();

    /// <summary>
    /// One document reused for every record, with one field per field name whose token stream hands Lucene that
    /// field's terms. A new field per term made Lucene build a token stream and its attribute maps for every term of
    /// every record; reused fields, one per term, still had Lucene look the field up, start and finish inverting it for
    /// every term (decision 7). The postings are the same: each term indexed as is,
    /// documents only, no norms, as a <see cref="StringField"/> would.
    /// Not thread-safe, as the writer's callers already are not (they hold the index's gate).
    /// </summary>
    readonly Document _document = [];
    readonly StringField _id = new("id", "", Field.Store.YES);
    readonly Dictionary<string, (Field Field, TermsStream Terms)> _fields = new(StringComparer.Ordinal);

    static readonly FieldType s_termsType = new()
    {
        IsIndexed = true,
        IsTokenized = true,
        OmitNorms = true,
        IndexOptions = IndexOptions.DOCS_ONLY,
    };

    Document Document(string key, List<(string Field, string Term)> terms)
    {
        _document.Fields.Clear();
        _id.SetStringValue(key);
        _document.Add(_id);
        foreach (var (_, stream) in _fields.Values)
        {
            stream.Clear();
        }
        foreach (var (field, term) in terms)
        {
            if (field != ExactField)
            {
                Add(field, term);
            }
            else if (ExactKeyTerm(term) is ("x", var indexed))
            {
                Add("x", indexed);
            }
        }
        foreach (var (field, stream) in _fields.Values)
        {
            if (stream.Count > 0)
            {
                _document.Add(field);
            }
        }
        return _document;

        void Add(string name, string value)
        {
            if (!_fields.TryGetValue(name, out var entry))
            {
                var stream = new TermsStream();
                _fields[name] = entry = (new Field(name, stream, s_termsType), stream);
            }
            entry.Terms.Add(value);
        }
    }

    /// <summary>The terms of one field of one document, handed to Lucene as they are.</summary>
    sealed class TermsStream : Lucene.Net.Analysis.TokenStream
    {
        readonly Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute _term;
        readonly List<string> _terms = [];
        int _next;

        public TermsStream() => _term = AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();

        public int Count => _terms.Count;

        public void Add(string term) => _terms.Add(term);

        public void Clear() => _terms.Clear();

        public override bool IncrementToken()
        {
            if (_next == _terms.Count)
            {
                return false;
            }
            ClearAttributes();
            _term.SetEmpty().Append(_terms[_next++]);
            return true;
        }

        public override void Reset()
        {
            base.Reset();
            _next = 0;
        }
    }

    /// <summary>
    /// Where an exact key's block is found. Same identifier, phone or email: that field's own term has the same records,
    /// so only the date of birth and first-name sound are indexed apart, which spares the index a million terms.
    /// </summary>
    static (string Field, string Term) ExactKeyTerm(string key) => key[..2] switch
    {
        "i:" => ("i", key[2..]),
        "p:" => ("p", key[2..]),
        "e:" => ("e", key[2..]),
        _ => ("x", key),
    };

    /// <summary>Adds or replaces a record (keyed by its source record id).</summary>
    public void Put(MatchRecord record)
    {
        var indexTerms = IndexTerms(record);
        _writer.UpdateDocument(new Term("id", record.Key), Document(record.Key, indexTerms));
        Unlist(record.Key);
        var terms = indexTerms.ToHashSet();
        _unsearched[record.Key] = terms;
        foreach (var term in terms)
        {
            if (!_carriers.TryGetValue(term, out var keys))
            {
                _carriers[term] = keys = new HashSet<string>(StringComparer.Ordinal);
            }
            keys.Add(record.Key);
        }
    }

    void Unlist(string key)
    {
        if (_unsearched.Remove(key, out var terms))
        {
            foreach (var term in terms)
            {
                if (_carriers.TryGetValue(term, out var keys) && keys.Remove(key) && keys.Count == 0)
                {
                    _carriers.Remove(term);
                }
            }
        }
    }

    /// <summary>A record's terms, its exact keys among them under <see cref="ExactField"/>: worked out once per record put.</summary>
    static List<(string Field, string Term)> IndexTerms(MatchRecord record)
    {
        var terms = CandidateIndex.TermsOf(record).Select(t => (t.Field, t.Term)).ToList();
        terms.AddRange(BlockingPasses.KeysOf(record).Select(key => (ExactField, key)));
        return terms;
    }

    /// <summary>The unsearched records carrying a term (an exact key's field is <see cref="ExactField"/>).</summary>
    IReadOnlyCollection<string> Carriers(string field, string term) => _carriers.TryGetValue((field, term), out var keys) ? keys : [];

    const string ExactField = "exact";

    public void Remove(long sourceRecordId)
    {
        var key = sourceRecordId.ToString(CultureInfo.InvariantCulture);
        _writer.DeleteDocuments(new Term("id", key));
        Unlist(key);
    }

    /// <summary>
    /// Records put since the reader was opened, searched one by one beside it. Opening a reader that sees a one-record
    /// change makes Lucene write that record as a segment of its own, and merge such segments as they pile up, the
    /// merges competing for the second core (decision 7). So the reader is reopened only when the index is committed
    /// (every few seconds) or this list grows long (a large queue); until then a record the reader still shows in an
    /// older version, or at all after it was withdrawn, only adds a candidate whose current record is loaded from the
    /// database. Reopening every few hundred records instead still left the slowest one-record runs slow. Each record's
    /// terms are listed by term, so a search looks its own terms up whatever the list's length.
    /// </summary>
    readonly Dictionary<string, HashSet<(string Field, string Term)>> _unsearched = new(StringComparer.Ordinal);

    readonly Dictionary<(string Field, string Term), HashSet<string>> _carriers = [];

    const int ReopenAfter = 4096;

    /// <summary>Every record the index holds now, by source record id (for tests: an index brought up to date holds what the database holds).</summary>
    internal HashSet<long> Keys()
    {
        using var reader = DirectoryReader.Open(_writer, applyAllDeletes: true);
        var keys = new HashSet<long>();
        foreach (var leaf in reader.Leaves)
        {
            var live = leaf.AtomicReader.LiveDocs;
            for (var doc = 0; doc < leaf.AtomicReader.MaxDoc; doc++)
            {
                if (live is null || live.Get(doc))
                {
                    keys.Add(long.Parse(leaf.AtomicReader.Document(doc).Get("id"), CultureInfo.InvariantCulture));
                }
            }
        }
        return keys;
    }

    /// <summary>Makes the index durable, stamped with the run it reflects.</summary>
    public void Commit(MatchRunStamp run)
    {
        Stamp(run);
        _writer.Commit();
        _committed = Stopwatch.StartNew();
        // The commit has written the records put since, so a reader that sees them costs little now.
        if (_reader is not null)
        {
            Reopen();
        }
    }

    /// <summary>
    /// Records which run the index now reflects, without making it durable: the next <see cref="Commit"/>, or closing
    /// the index, writes it to disk with this stamp. A crash before then leaves the disk at an older stamp, and the next
    /// run rebuilds the index from the database.
    /// </summary>
    public void Stamp(MatchRunStamp run) => _writer.SetCommitData(new Dictionary<string, string> { [RunKey] = StampOf(run) });

    /// <summary>How long since the index was last made durable.</summary>
    public TimeSpan SinceCommit => _committed.Elapsed;

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
