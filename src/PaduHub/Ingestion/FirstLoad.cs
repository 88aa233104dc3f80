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
        var agency = contract.Agency;
        // A row's line is at most the number of line breaks plus one (a last line without one).
        var lines = file.LineBreaks + 1;
        if (lines >= FirstLoadBlock)
        {
            throw new ExtractRejectedException($"the file has {lines:N0} lines, more than one extract may have ({FirstLoadBlock - 1:N0})");
        }
        var block = await connection.ExecuteScalarAsync<long>(new CommandDefinition("select nextval('first_load_block')", transaction: transaction,
            cancellationToken: cancellationToken));
        var idBase = checked(FirstLoadIds + block * FirstLoadBlock);
        var idEnd = idBase + lines + 1; // the partition's range: [idBase, idEnd)
        var (recordTable, versionTable) = ($"source_record_e{extractId}", $"source_record_version_e{extractId}");
        var agencyLiteral = agency.Replace("'", "''", StringComparison.Ordinal);
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

        using var stopParsing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var (batches, parser, parse) = ExtractStaging.ParseInBackground(reader, path, progress, stopParsing.Token);
        var copy = new Stopwatch();
        await using var records = BinaryCopy.Buffered();
        await using var queued = BinaryCopy.Buffered();
        await using var rejected = BinaryCopy.Buffered();
        int inserted = 0, rejectedCount = 0;
        StagedRow? lastRow = null;
        BinaryCopy? versions = null;

        async Task WriteChunkAsync()
        {
            if (versions is not null)
            {
                await versions.CompleteAsync(CancellationToken.None);
                versions = null;
            }
            if (records.Rows > 0)
            {
                await records.SendAsync(connection, $"""
                    copy {recordTable} (id, agency_code, source_key, status, current_version_id, first_extract_id, changed_extract_id)
                    from stdin (format binary, freeze)
                    """, CancellationToken.None);
                await queued.SendAsync(connection, "copy match_queue (source_record_id, extract_id) from stdin (format binary)", CancellationToken.None);
            }
            if (rejected.Rows > 0)
            {
                await rejected.SendAsync(connection,
                    "copy rejected_row (extract_id, line_number, field, reason, raw_line, raw_length) from stdin (format binary)",
                    CancellationToken.None);
            }
        }

        try
        {
            await foreach (var batch in batches.ReadAllAsync(CancellationToken.None))
            {
                // Stopping between rows, never inside a COPY message: disposing the importer then aborts the COPY
                // cleanly, and the caller's transaction rolls back with nothing written.
                cancellationToken.ThrowIfCancellationRequested();
                copy.Start();
                // FREEZE: the table is this transaction's own, so its rows can be written as visible to all, and the
                // first reads after the load (matching reads every row) do not rewrite every page to say so.
                versions ??= await BinaryCopy.BeginAsync(connection, $"""
                    copy {versionTable} (id, source_record_id, extract_id, version, op, line_number, row_hash, {ExtractStaging.FieldList}, extra, issues)
                    from stdin (format binary, freeze)
                    """, CancellationToken.None);
                foreach (var row in batch)
                {
                    lastRow = row;
                    if (row.Rejected)
                    {
                        rejected.StartRow(6);
                        rejected.Int64(extractId);
                        rejected.Int64(row.Line);
                        rejected.Text(row.RejectField);
                        rejected.Text(row.RejectReason);
                        rejected.Text(row.RawLine);
                        rejected.Int32(row.RawLength);
                        rejectedCount++;
                        continue;
                    }
                    if (row.Line > lines)
                    {
                        throw new InvalidOperationException($"line {row.Line} is past the {lines} lines counted in the file");
                    }
                    versions.StartRow((short)(9 + CanonicalField.All.Length));
                    versions.Int64(idBase + row.Line);
                    versions.Int64(idBase + row.Line);
                    versions.Int64(extractId);
                    versions.Int32(1);
                    versions.Text("I");
                    versions.Int32((int)row.Line);
                    versions.Bytes(row.Hash);
                    ExtractStaging.WriteFields(versions, row);
                    await versions.FlushIfFullAsync(CancellationToken.None);
                    records.StartRow(7);
                    records.Int64(idBase + row.Line);
                    records.Text(agency);
                    records.Text(row.Key);
                    records.Text("active");
                    records.Int64(idBase + row.Line);
                    records.Int64(extractId);
                    records.Int64(extractId);
                    queued.StartRow(2);
                    queued.Int64(idBase + row.Line);
                    queued.Int64(extractId);
                    inserted++;
                }
                if (records.Rows >= FirstLoadChunkRows || rejected.Length >= FirstLoadRejectedBytes)
                {
                    await WriteChunkAsync();
                }
                copy.Stop();
            }
            ExtractStaging.RefuseWhole(reader, lastRow, file.EndsWithNewline, delta: false, inserted);
            cancellationToken.ThrowIfCancellationRequested();
            copy.Start();
            await WriteChunkAsync();
            copy.Stop();
        }
        finally
        {
            if (versions is not null)
            {
                await versions.DisposeAsync();
            }
            await ExtractStaging.StopAsync(stopParsing, parser);
        }
        timings["parse_validate_ms"] = parse.ElapsedMilliseconds;
        timings["copy_ms"] = copy.ElapsedMilliseconds;

        // Indexes built by sorting, then the tables join the hub. Attaching builds the parents' indexes (primary keys,
        // household lookups); the key's uniqueness comes first, so a broken invariant fails before attaching.
        // The key index leaves out the agency, which is the same on every row: sorting by the key alone compares
        // abbreviated keys, much faster than comparing two columns whose first never differs.
        // Parallel workers beside the backend, one process per core: on two cores PostgreSQL's default of two workers
        // made three processes take turns (decision 7). The cores
        // counted are this machine's, which are the database's for the embedded cluster and the usual deployment.
        var indexes = Stopwatch.StartNew();
        await connection.ExecuteAsync(new CommandDefinition($"""
            set local max_parallel_maintenance_workers = {Math.Max(1, Environment.ProcessorCount - 1)};
            alter table {recordTable} add constraint {recordTable}_key unique (source_key);
            alter table source_record attach partition {recordTable} for values from ({idBase}) to ({idEnd});
            alter table source_record_version attach partition {versionTable} for values from ({idBase}) to ({idEnd});
            """, transaction: transaction, cancellationToken: cancellationToken));
        timings["index_ms"] = indexes.ElapsedMilliseconds;
        return new LoadCounts(checked((int)reader.RowsRead), inserted, 0, 0, 0, 0, rejectedCount);
    }
}
