using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace PaduHub.Ingestion;

/// <summary>An agency's first full extract: every row is a new record, so nothing needs comparing with what the hub holds.</summary>
public static class FirstLoad
{
    /// <summary>Rows written between switches from one COPY to the next (versions, then records, queue and rejects).</summary>
    const int FirstLoadChunkRows = 65_536;

    /// <summary>Rejected rows keep their raw line; this many bytes of them are held before they are written.</summary>
    const int FirstLoadRejectedBytes = 16 << 20;

    /// <summary>
    /// Gathers planner statistics for source_record and source_record_version as wholes when an agency's first load
    /// has joined them since they were last gathered. Autovacuum analyzes each partition but never a partitioned
    /// table, and without statistics of its own the planner guesses that a join on record ids matches thousands of
    /// rows for every one. Matching calls this before a full run, and before a queued run of more than 10,000 records
    /// (a first load queues all of its own): the seconds it takes at millions of records are small beside such a run.
    /// </summary>
    public static async Task AnalyzeAfterFirstLoadsAsync(NpgsqlConnection connection, ILogger? logger, CancellationToken cancellationToken)
    {
        var stale = await connection.ExecuteScalarAsync<bool>(new CommandDefinition("""
            select coalesce((
                select max(e.finished_at) from pg_inherits i join pg_class c on c.oid = i.inhrelid
                join extract e on c.relname = 'source_record_e' || e.id
                where i.inhparent = 'source_record'::regclass
            ) > (
                select min(coalesce(last_analyze, '-infinity')) from pg_stat_user_tables
                where relid in ('source_record'::regclass, 'source_record_version'::regclass)
            ), false)
            """, cancellationToken: cancellationToken));
        if (stale)
        {
            var watch = Stopwatch.StartNew();
            await connection.ExecuteAsync(new CommandDefinition("analyze source_record, source_record_version", commandTimeout: 0,
                cancellationToken: cancellationToken));
            Log.SourceTablesAnalyzed(logger ?? NullLogger.Instance, watch.ElapsedMilliseconds);
        }
    }

    static readonly string[] s_householdLookupFields = ["household_ref", "spouse_id_number", "father_id_number", "mother_id_number"];

    internal static async Task<bool> IsFirstLoadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string agency,
        CancellationToken cancellationToken) =>
        !await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from source_record where agency_code = @agency)", new { agency }, transaction,
            cancellationToken: cancellationToken));

    /// <summary>Ids of a first load: 10^15 + block * 10^10 + line (sql/0008).</summary>
    const long FirstLoadIds = 1_000_000_000_000_000, FirstLoadBlock = 10_000_000_000;

    /// <summary>
    /// Streams an agency's first full extract by binary COPY into two new tables with no index, which become its
    /// partitions of <c>source_record</c> and <c>source_record_version</c> once their indexes are built (sql/0008
    /// says why); queue rows and rejects go straight to <c>match_queue</c> and <c>rejected_row</c>. The staging table
    /// and the merge exist to compare a file with what the hub holds; with nothing held they would only write every
    /// row twice and read it back. A connection runs one COPY at a time, so the versions of a chunk of rows go first,
    /// then that chunk's records, queue rows and rejects: memory holds one chunk, whatever the file's size. It all
    /// happens in the caller's transaction (the new tables too), so the file still lands whole or not at all.
    /// </summary>
    internal static async Task<LoadCounts> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ExtractReader reader, string path,
        FileFacts file, AgencyContract contract, long extractId, Dictionary<string, long> timings, IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        // A row's line is at most the number of line breaks plus one (a last line without one).
        var lines = file.LineBreaks + 1;
        if (lines >= FirstLoadBlock)
        {
            throw new ExtractRejectedException($"the file has {lines:N0} lines, more than one extract may have ({FirstLoadBlock - 1:N0})");
        }
        var partitions = await CreatePartitionsAsync(connection, transaction, contract, extractId, lines, cancellationToken);

        using var stopParsing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var (batches, parser, parse) = ExtractStaging.ParseInBackground(reader, path, progress, stopParsing.Token);
        var copy = new Stopwatch();
        await using var writer = new PartitionWriter(connection, partitions, contract.Agency, extractId);
        StagedRow? lastRow = null;
        try
        {
            await foreach (var batch in batches.ReadAllAsync(CancellationToken.None))
            {
                // Stopping between rows, never inside a COPY message: disposing the importer then aborts the COPY
                // cleanly, and the caller's transaction rolls back with nothing written.
                cancellationToken.ThrowIfCancellationRequested();
                copy.Start();
                foreach (var row in batch)
                {
                    lastRow = row;
                    if (row.Line > lines && !row.Rejected)
                    {
                        throw new InvalidOperationException($"line {row.Line} is past the {lines} lines counted in the file");
                    }
                    await writer.AddAsync(row);
                }
                if (writer.ChunkIsFull)
                {
                    await writer.WriteChunkAsync();
                }
                copy.Stop();
            }
            ExtractStaging.RefuseWhole(reader, lastRow, file.EndsWithNewline, delta: false, writer.Inserted);
            cancellationToken.ThrowIfCancellationRequested();
            copy.Start();
            await writer.WriteChunkAsync();
            copy.Stop();
        }
        finally
        {
            await ExtractStaging.StopAsync(stopParsing, parser);
        }
        timings["parse_validate_ms"] = parse.ElapsedMilliseconds;
        timings["copy_ms"] = copy.ElapsedMilliseconds;
        var indexes = Stopwatch.StartNew();
        await AttachAsync(connection, transaction, partitions, cancellationToken);
        timings["index_ms"] = indexes.ElapsedMilliseconds;
        return new LoadCounts(checked((int)reader.RowsRead), writer.Inserted, 0, 0, 0, 0, writer.Rejected);
    }

    /// <summary>The new partitions' names and id range [IdBase, IdEnd).</summary>
    sealed record Partitions(string RecordTable, string VersionTable, long IdBase, long IdEnd);

    /// <summary>Creates the load's two tables, without indexes but for the household lookups this agency never fills.</summary>
    static async Task<Partitions> CreatePartitionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AgencyContract contract,
        long extractId, long lines, CancellationToken cancellationToken)
    {
        var block = await connection.ExecuteScalarAsync<long>(new CommandDefinition("select nextval('first_load_block')", transaction: transaction,
            cancellationToken: cancellationToken));
        var idBase = checked(FirstLoadIds + block * FirstLoadBlock);
        var idEnd = idBase + lines + 1;
        var (recordTable, versionTable) = ($"source_record_e{extractId}", $"source_record_version_e{extractId}");
        var agencyLiteral = contract.Agency.Replace("'", "''", StringComparison.Ordinal);
        // The check constraints say the partition's range, so attaching it need not scan the rows to prove it; that
        // the records are all of one agency, so a unique key alone stands for the unique agency and key; and that each
        // version is its record's first, with the record's id, so the primary key alone makes (record, version)
        // unique, with no index of its own to build.
        await connection.ExecuteAsync(new CommandDefinition($"""
            create table {recordTable} (like source_record including defaults including constraints,
                check (id >= {idBase} and id < {idEnd}), check (agency_code = '{agencyLiteral}'));
            create table {versionTable} (like source_record_version including defaults including constraints,
                check (id >= {idBase} and id < {idEnd}), check (source_record_id = id and version = 1));
            comment on table {recordTable} is 'first full extract of {agencyLiteral}: receipt {extractId}';
            comment on table {versionTable} is 'first full extract of {agencyLiteral}: receipt {extractId}';
            """, transaction: transaction, cancellationToken: cancellationToken));
        // The household lookup indexes (sql/0006) over fields this agency never fills are made now, empty, and kept by
        // the COPY at no cost (a partial index passes a null by); built afterwards, each would read every row to find
        // nothing. Attaching adopts them as the parent's.
        foreach (var field in s_householdLookupFields.Where(f => !contract.Columns.Any(c => c.Field == f)))
        {
            await connection.ExecuteAsync(new CommandDefinition($"create index on {versionTable} ({field}) where {field} is not null",
                transaction: transaction, cancellationToken: cancellationToken));
        }
        return new Partitions(recordTable, versionTable, idBase, idEnd);
    }

    /// <summary>Builds the tables' indexes and attaches them to the hub's tables.</summary>
    static async Task AttachAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Partitions p, CancellationToken cancellationToken)
    {
        // Indexes built by sorting, then the tables join the hub. Attaching builds the parents' indexes (primary keys,
        // household lookups); the key's uniqueness comes first, so a broken invariant fails before attaching.
        // The key index leaves out the agency, which is the same on every row: sorting by the key alone compares
        // abbreviated keys, much faster than comparing two columns whose first never differs.
        // Parallel workers beside the backend, one process per core: on two cores PostgreSQL's default of two workers
        // made three processes take turns (decision 7). The cores counted are this machine's, which are the database's
        // for the embedded cluster and the usual deployment.
        await connection.ExecuteAsync(new CommandDefinition($"""
            set local max_parallel_maintenance_workers = {Math.Max(1, Environment.ProcessorCount - 1)};
            alter table {p.RecordTable} add constraint {p.RecordTable}_key unique (source_key);
            alter table source_record attach partition {p.RecordTable} for values from ({p.IdBase}) to ({p.IdEnd});
            alter table source_record_version attach partition {p.VersionTable} for values from ({p.IdBase}) to ({p.IdEnd});
            """, transaction: transaction, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Writes a first load's rows: the versions of a chunk of rows by one COPY, then that chunk's records, queue rows and
    /// rejects, held in buffers meanwhile, since a connection runs one COPY at a time.
    /// </summary>
    sealed class PartitionWriter(NpgsqlConnection connection, Partitions partitions, string agency, long extractId) : IAsyncDisposable
    {
        readonly BinaryCopy _records = BinaryCopy.Buffered();
        readonly BinaryCopy _queued = BinaryCopy.Buffered();
        readonly BinaryCopy _rejected = BinaryCopy.Buffered();
        BinaryCopy? _versions;

        public int Inserted { get; private set; }
        public int Rejected { get; private set; }
        public bool ChunkIsFull => _records.Rows >= FirstLoadChunkRows || _rejected.Length >= FirstLoadRejectedBytes;

        public async Task AddAsync(StagedRow row)
        {
            if (row.Rejected)
            {
                _rejected.StartRow(6);
                _rejected.Int64(extractId);
                _rejected.Int64(row.Line);
                _rejected.Text(row.RejectField);
                _rejected.Text(row.RejectReason);
                _rejected.Text(row.RawLine);
                _rejected.Int32(row.RawLength);
                Rejected++;
                return;
            }
            // FREEZE: the table is this transaction's own, so its rows can be written as visible to all, and the
            // first reads after the load (matching reads every row) do not rewrite every page to say so.
            _versions ??= await BinaryCopy.BeginAsync(connection, $"""
                copy {partitions.VersionTable} (id, source_record_id, extract_id, version, op, line_number, row_hash, {ExtractStaging.FieldList}, extra, issues)
                from stdin (format binary, freeze)
                """, CancellationToken.None);
            var id = partitions.IdBase + row.Line;
            _versions.StartRow((short)(9 + CanonicalField.All.Length));
            _versions.Int64(id);
            _versions.Int64(id);
            _versions.Int64(extractId);
            _versions.Int32(1);
            _versions.Text("I");
            _versions.Int32((int)row.Line);
            _versions.Bytes(row.Hash);
            ExtractStaging.WriteFields(_versions, row);
            await _versions.FlushIfFullAsync(CancellationToken.None);
            _records.StartRow(7);
            _records.Int64(id);
            _records.Text(agency);
            _records.Text(row.Key);
            _records.Text("active");
            _records.Int64(id);
            _records.Int64(extractId);
            _records.Int64(extractId);
            _queued.StartRow(2);
            _queued.Int64(id);
            _queued.Int64(extractId);
            Inserted++;
        }

        public async Task WriteChunkAsync()
        {
            if (_versions is not null)
            {
                await _versions.CompleteAsync(CancellationToken.None);
                _versions = null;
            }
            if (_records.Rows > 0)
            {
                await _records.SendAsync(connection, $"""
                    copy {partitions.RecordTable} (id, agency_code, source_key, status, current_version_id, first_extract_id, changed_extract_id)
                    from stdin (format binary, freeze)
                    """, CancellationToken.None);
                await _queued.SendAsync(connection, "copy match_queue (source_record_id, extract_id) from stdin (format binary)", CancellationToken.None);
            }
            if (_rejected.Rows > 0)
            {
                await _rejected.SendAsync(connection,
                    "copy rejected_row (extract_id, line_number, field, reason, raw_line, raw_length) from stdin (format binary)",
                    CancellationToken.None);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_versions is not null)
            {
                await _versions.DisposeAsync();
            }
            await _records.DisposeAsync();
            await _queued.DisposeAsync();
            await _rejected.DisposeAsync();
        }
    }
}
