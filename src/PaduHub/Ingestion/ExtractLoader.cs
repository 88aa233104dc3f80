using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace PaduHub.Ingestion;

/// <summary>A file to load. Kind and sequence come from the file name by the contract unless given.</summary>
public sealed record ExtractRequest(string AgencyCode, string FilePath, string FileName, string ReceivedVia)
{
    public string? Kind { get; init; }
    public int? Sequence { get; init; }
}

/// <summary>The request itself is wrong (unknown agency, a file name that is neither full nor delta): no receipt.</summary>
public sealed class ExtractRequestException(string message) : Exception(message);

/// <summary>
/// Loads agency extracts. Each file lands whole or not at all: one transaction holds the receipt, the staging COPY,
/// the merge into source records (a new version only where something changed), the withdrawals of a full extract,
/// the rejected rows and the matching queue. Loads of one agency wait for each other (an advisory lock); the same
/// bytes sent twice return the first receipt; a delta that arrives early is held until the gap is filled. An agency's
/// first full extract takes a shorter way, in the same one transaction (ExtractLoader.FirstLoad.cs).
/// </summary>
public sealed partial class ExtractLoader(string connectionString, AgencyContracts contracts, string spoolFolder, ILogger? logger = null)
{
    readonly ILogger _logger = logger ?? NullLogger.Instance;

    public AgencyContracts Contracts { get; } = contracts;

    /// <summary>Registers every contract's agency, so extracts can refer to it.</summary>
    public async Task RegisterAgenciesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        foreach (var contract in Contracts.All)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "insert into agency (code, name) values (@Agency, @Name) on conflict (code) do update set name = excluded.name",
                contract, cancellationToken: cancellationToken));
        }
    }

    public async Task<ExtractReceipt> LoadAsync(ExtractRequest request, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var contract = Contracts.For(request.AgencyCode);
        var (kind, sequence) = Classify(contract, request);
        var file = await FileFacts.ReadAsync(request.FilePath, cancellationToken);
        var receipt = await LoadOneAsync(contract, request, kind, sequence, file, existingId: null, progress, cancellationToken);
        if (receipt is { Kind: "delta", Status: "loaded", Duplicate: false })
        {
            await ApplyHeldDeltasAsync(contract, cancellationToken);
        }
        return receipt;
    }

    /// <summary>Loads a file that was received earlier (upload, drop folder) and is waiting in the spool under its receipt.</summary>
    public async Task<ExtractReceipt> LoadQueuedAsync(long extractId, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var queued = await connection.QuerySingleOrDefaultAsync<(string Agency, string Kind, int? Sequence, string FileName, string Via, string Status, string? Spool)?>(
            new CommandDefinition("select agency_code, kind, sequence, file_name, received_via, status, spool_path from extract where id = @extractId",
                new { extractId }, cancellationToken: cancellationToken))
            ?? throw new ExtractRequestException($"no extract {extractId}");
        if (queued.Status != "queued" || queued.Spool is not { } spool)
        {
            return (await ExtractReceipt.FindAsync(connection, extractId, cancellationToken))!;
        }
        var contract = Contracts.For(queued.Agency);
        var request = new ExtractRequest(queued.Agency, spool, queued.FileName, queued.Via);
        var file = await FileFacts.ReadAsync(spool, cancellationToken);
        var receipt = await LoadOneAsync(contract, request, queued.Kind, queued.Sequence, file, extractId, null, cancellationToken);
        if (receipt.Status != "held" && File.Exists(spool))
        {
            File.Delete(spool);
        }
        if (receipt is { Kind: "delta", Status: "loaded" })
        {
            await ApplyHeldDeltasAsync(contract, cancellationToken);
        }
        return receipt;
    }

    /// <summary>
    /// Takes a file into the spool and gives it a queued receipt, for loading later by <see cref="LoadQueuedAsync"/>.
    /// A file already received (same agency, same bytes) returns its first receipt instead.
    /// </summary>
    public async Task<ExtractReceipt> ReceiveAsync(ExtractRequest request, bool moveFile = false, CancellationToken cancellationToken = default)
    {
        var contract = Contracts.For(request.AgencyCode);
        var (kind, sequence) = Classify(contract, request);
        var file = await FileFacts.ReadAsync(request.FilePath, cancellationToken);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAgencyAsync(connection, contract.Agency, cancellationToken);
        var checksum = await file.Checksum;
        if (await FindByChecksumAsync(connection, contract.Agency, checksum, cancellationToken) is { } earlier)
        {
            return earlier with { Duplicate = true };
        }
        var spool = SpoolPath(contract.Agency, checksum, request.FileName);
        if (moveFile)
        {
            File.Move(request.FilePath, spool, overwrite: true);
        }
        else
        {
            File.Copy(request.FilePath, spool, overwrite: true);
        }
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            insert into extract (agency_code, kind, sequence, file_name, checksum, size_bytes, status, received_via, spool_path)
            values (@agency, @kind, @sequence, @fileName, @checksum, @size, 'queued', @via, @spool)
            returning id
            """, new
        {
            agency = contract.Agency,
            kind,
            sequence,
            fileName = request.FileName,
            checksum,
            size = file.Size,
            via = request.ReceivedVia,
            spool
        }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return (await ExtractReceipt.FindAsync(connection, id, cancellationToken))!;
    }

    static (string Kind, int? Sequence) Classify(AgencyContract contract, ExtractRequest request)
    {
        if (request.Kind is "full")
        {
            return ("full", null);
        }
        if (request.Kind is "delta")
        {
            return request.Sequence is { } s ? ("delta", s)
                : contract.Classify(request.FileName) is ("delta", { } named) ? ("delta", named)
                : throw new ExtractRequestException($"a delta extract needs a sequence number: in the file name ({contract.DeltaFile}) or given");
        }
        if (request.Kind is not null)
        {
            throw new ExtractRequestException($"extract kind must be full or delta, not '{request.Kind}'");
        }
        return contract.Classify(request.FileName) ?? throw new ExtractRequestException(
            $"'{request.FileName}' is named like neither a full extract ({contract.FullFile}) nor a delta ({contract.DeltaFile}) of {contract.Agency}; "
            + "rename it or say which it is");
    }

    async Task<ExtractReceipt> LoadOneAsync(AgencyContract contract, ExtractRequest request, string kind, int? sequence, FileFacts file,
        long? existingId, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await LockAgencyAsync(connection, contract.Agency, cancellationToken);
            var bomMismatch = file.StartsWithUtf8Bom && contract.TextEncoding is not System.Text.UTF8Encoding;
            var readableFull = kind == "full" && file.Problem is null && !bomMismatch;
            var firstLoad = readableFull && await IsFirstLoadAsync(connection, transaction, contract.Agency, cancellationToken);
            // A full extract does not wait for the file's checksum (a second pass over the file, most of a second per
            // million rows): it is computed alongside the load, and a repeat is recognised before anything commits. A
            // delta is checked first: whether it repeats decides how its sequence number is judged.
            var deferChecksum = readableFull && existingId is null;
            var checksum = deferChecksum ? $"pending {Guid.NewGuid():N}" : await file.Checksum;
            if (existingId is null && !deferChecksum && await FindByChecksumAsync(connection, contract.Agency, checksum, cancellationToken) is { } earlier)
            {
                Log.DuplicateExtract(_logger, contract.Agency, earlier.Id);
                return earlier with { Duplicate = true };
            }
            var receiptId = existingId ?? await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                insert into extract (agency_code, kind, sequence, file_name, checksum, size_bytes, status, received_via)
                values (@agency, @kind, @sequence, @fileName, @checksum, @size, 'queued', @via)
                returning id
                """, new
            {
                agency = contract.Agency,
                kind,
                sequence,
                fileName = request.FileName,
                checksum,
                size = file.Size,
                via = request.ReceivedVia
            }, transaction, cancellationToken: cancellationToken));

            if (file.Problem is { } problem)
            {
                return await FinishRejectedAsync(connection, transaction, receiptId, problem, cancellationToken);
            }
            if (bomMismatch)
            {
                return await FinishRejectedAsync(connection, transaction, receiptId,
                    $"the file starts with a UTF-8 byte order mark, but {contract.Agency}'s contract says {contract.Encoding}; nothing was loaded",
                    cancellationToken);
            }
            if (kind == "delta")
            {
                var last = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
                    "select last_sequence from agency_delta_state where agency_code = @agency", new { agency = contract.Agency }, transaction,
                    cancellationToken: cancellationToken)) ?? 0;
                if (sequence <= last)
                {
                    return await FinishRejectedAsync(connection, transaction, receiptId,
                        $"delta sequence {sequence} of {contract.Agency} was already applied and this file differs from it; send sequence {last + 1}",
                        cancellationToken);
                }
                if (sequence > last + 1)
                {
                    return await HoldAsync(connection, transaction, receiptId, contract, request, file, last + 1, sequence.Value, cancellationToken);
                }
            }

            var timings = new Dictionary<string, long>();
            var active = kind == "full" && !firstLoad
                ? await ActiveRecordsAsync(connection, transaction, contract.Agency, timings, cancellationToken) : null;
            var current = active?.Hashes;
            var reader = new ExtractReader(contract, kind == "delta", DateOnly.FromDateTime(DateTime.UtcNow))
            {
                Current = current,
                ExpectedRows = file.LineBreaks,
            };
            Counts counts;
            try
            {
                if (firstLoad)
                {
                    counts = await LoadFirstAsync(connection, transaction, reader, request.FilePath, file, contract, receiptId, timings, progress,
                        cancellationToken);
                }
                else
                {
                    await StageAsync(connection, reader, request.FilePath, kind == "delta", file.EndsWithNewline, timings, progress, cancellationToken);
                    var merge = Stopwatch.StartNew();
                    counts = kind == "full"
                        ? await MergeFullAsync(connection, transaction, contract.Agency, receiptId,
                            active is null ? [] : [.. active.Ids.Where(r => !reader.Named(r.KeyHash)).Select(r => r.Id)], cancellationToken)
                        : await MergeDeltaAsync(connection, transaction, contract.Agency, receiptId, sequence!.Value, cancellationToken);
                    timings["merge_ms"] = merge.ElapsedMilliseconds;
                }
            }
            catch (ExtractRejectedException rejected)
            {
                // Nothing staged survives: roll back to the receipt alone, then say why.
                await transaction.DisposeAsync();
                transaction = await connection.BeginTransactionAsync(cancellationToken);
                await LockAgencyAsync(connection, contract.Agency, cancellationToken);
                checksum = await file.Checksum;
                if (deferChecksum && await FindByChecksumAsync(connection, contract.Agency, checksum, cancellationToken) is { } rejectedBefore)
                {
                    Log.DuplicateExtract(_logger, contract.Agency, rejectedBefore.Id);
                    return rejectedBefore with { Duplicate = true };
                }
                receiptId = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                    insert into extract (agency_code, kind, sequence, file_name, checksum, size_bytes, status, received_via)
                    values (@agency, @kind, @sequence, @fileName, @checksum, @size, 'queued', @via)
                    on conflict (agency_code, checksum) do update set status = 'queued'
                    returning id
                    """, new
                {
                    agency = contract.Agency,
                    kind,
                    sequence,
                    fileName = request.FileName,
                    checksum,
                    size = file.Size,
                    via = request.ReceivedVia
                }, transaction, cancellationToken: cancellationToken));
                return await FinishRejectedAsync(connection, transaction, receiptId, rejected.Message, cancellationToken);
            }

            if (deferChecksum)
            {
                checksum = await file.Checksum;
                if (await FindByChecksumAsync(connection, contract.Agency, checksum, cancellationToken) is { } sentBefore)
                {
                    // The same bytes were received while this load ran, or rejected before: what was loaded goes.
                    Log.DuplicateExtract(_logger, contract.Agency, sentBefore.Id);
                    return sentBefore with { Duplicate = true };
                }
            }
            timings["total_ms"] = total.ElapsedMilliseconds;
            await connection.ExecuteAsync(new CommandDefinition("""
                update extract set status = 'loaded', finished_at = now(), rows_read = @RowsRead, inserted = @Inserted, updated = @Updated,
                    unchanged = @Unchanged, withdrawn = @Withdrawn, deleted = @Deleted, rejected = @Rejected, timings = @timings::jsonb,
                    spool_path = null, reason = null, checksum = @checksum
                where id = @id
                """, new
            {
                counts.RowsRead,
                counts.Inserted,
                counts.Updated,
                counts.Unchanged,
                counts.Withdrawn,
                counts.Deleted,
                counts.Rejected,
                timings = JsonSerializer.Serialize(timings),
                id = receiptId,
                checksum
            }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            Log.ExtractLoaded(_logger, contract.Agency, receiptId, counts.RowsRead, counts.Inserted, counts.Updated, counts.Withdrawn + counts.Deleted,
                counts.Rejected, total.ElapsedMilliseconds);
            return (await ExtractReceipt.FindAsync(connection, receiptId, cancellationToken))!;
        }
        finally
        {
            await transaction.DisposeAsync();
        }
    }

    /// <summary>
    /// Loads of different agencies parse and COPY side by side, but their merges, which take ids from the source
    /// tables' sequences, take turns until they commit: a block reserved as setval(nextval + n) is two steps, and
    /// another load's nextval between them would land inside the block and collide. (A first load needs no turn: its
    /// block comes from one nextval of first_load_block.)
    /// </summary>
    internal static Task LockSourceIdsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtext('padu.ingest.source-ids'))", transaction: transaction,
            cancellationToken: cancellationToken));

    static Task LockAgencyAsync(NpgsqlConnection connection, string agency, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtext('padu.ingest.' || @agency))", new { agency },
            cancellationToken: cancellationToken));

    static async Task<ExtractReceipt?> FindByChecksumAsync(NpgsqlConnection connection, string agency, string checksum, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<ExtractReceipt>(new CommandDefinition(
            $"select {ExtractReceipt.Columns} from extract where agency_code = @agency and checksum = @checksum", new { agency, checksum },
            cancellationToken: cancellationToken));

    async Task<ExtractReceipt> FinishRejectedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, string reason,
        CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "update extract set status = 'rejected', reason = @reason, finished_at = now(), spool_path = null where id = @id",
            new { id, reason }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        Log.ExtractRejected(_logger, id, reason);
        return (await ExtractReceipt.FindAsync(connection, id, cancellationToken))!;
    }

    async Task<ExtractReceipt> HoldAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, AgencyContract contract,
        ExtractRequest request, FileFacts file, int expected, int sequence, CancellationToken cancellationToken)
    {
        var spool = SpoolPath(contract.Agency, await file.Checksum, request.FileName);
        if (!string.Equals(Path.GetFullPath(request.FilePath), Path.GetFullPath(spool), StringComparison.Ordinal))
        {
            File.Copy(request.FilePath, spool, overwrite: true);
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "update extract set status = 'held', reason = @reason, spool_path = @spool where id = @id",
            new { id, spool, reason = $"held: waiting for delta sequence {expected} of {contract.Agency}; this is sequence {sequence}" },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        Log.DeltaHeld(_logger, contract.Agency, sequence, expected);
        return (await ExtractReceipt.FindAsync(connection, id, cancellationToken))!;
    }

    /// <summary>After a delta lands, the held ones that now follow on are applied in order.</summary>
    async Task ApplyHeldDeltasAsync(AgencyContract contract, CancellationToken cancellationToken)
    {
        while (true)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            var next = await connection.QuerySingleOrDefaultAsync<(long Id, string Spool)?>(new CommandDefinition("""
                select e.id, e.spool_path from extract e
                where e.agency_code = @agency and e.status = 'held'
                  and e.sequence = coalesce((select last_sequence from agency_delta_state where agency_code = @agency), 0) + 1
                """, new { agency = contract.Agency }, cancellationToken: cancellationToken));
            if (next is not { } held)
            {
                return;
            }
            await connection.ExecuteAsync(new CommandDefinition("update extract set status = 'queued' where id = @id", new { id = held.Id },
                cancellationToken: cancellationToken));
            var receipt = await LoadQueuedAsync(held.Id, cancellationToken);
            if (receipt.Status != "loaded")
            {
                return;
            }
        }
    }

    string SpoolPath(string agency, string checksum, string fileName)
    {
        var folder = Path.Combine(spoolFolder, agency);
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $"{checksum[..16]}-{Path.GetFileName(fileName)}");
    }

    /// <summary>Parses the file and streams every row, loaded or rejected, into a temporary staging table by binary COPY.</summary>
    static async Task StageAsync(NpgsqlConnection connection, ExtractReader reader, string path, bool delta, bool endsWithNewline,
        Dictionary<string, long> timings, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var fieldColumns = string.Join(", ", CanonicalField.All.Select(f => $"{f.Name} {SqlType(f.Type)}"));
        await connection.ExecuteAsync(new CommandDefinition($"""
            create temp table staging (
                line bigint, source_key text collate "C", op char(1), seq int, row_hash bytea, {fieldColumns},
                extra jsonb, issues text[], reject_field text, reject_reason text, raw_line text, raw_length int
            ) on commit drop
            """, cancellationToken: cancellationToken));
        using var stopParsing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var (batches, parser, parse) = ParseInBackground(reader, path, progress, stopParsing.Token);
        var copy = new Stopwatch();
        StagedRow? lastRow = null;
        long loadable = 0;
        try
        {
            await using var importer = await BinaryCopy.BeginAsync(connection,
                $"copy staging (line, source_key, op, seq, row_hash, {s_fieldList}, extra, issues, reject_field, reject_reason, raw_line, raw_length) from stdin (format binary)",
                cancellationToken);
            await foreach (var batch in batches.ReadAllAsync(CancellationToken.None))
            {
                // Stopping between rows, never inside a COPY message: disposing the importer then aborts the COPY cleanly
                // and the transaction rolls back with nothing written.
                cancellationToken.ThrowIfCancellationRequested();
                copy.Start();
                foreach (var row in batch)
                {
                    lastRow = row;
                    loadable += row.Rejected ? 0 : 1;
                    Write(importer, row, delta);
                    await importer.FlushIfFullAsync(CancellationToken.None);
                }
                copy.Stop();
            }
            RefuseWhole(reader, lastRow, endsWithNewline, delta, loadable);
            copy.Start();
            cancellationToken.ThrowIfCancellationRequested();
            await importer.CompleteAsync(CancellationToken.None);
            copy.Stop();
        }
        finally
        {
            await StopAsync(stopParsing, parser);
        }
        timings["parse_validate_ms"] = parse.ElapsedMilliseconds;
        timings["copy_ms"] = copy.ElapsedMilliseconds;
        var analyze = Stopwatch.StartNew();
        await connection.ExecuteAsync(new CommandDefinition("analyze staging", cancellationToken: cancellationToken));
        timings["analyze_ms"] = analyze.ElapsedMilliseconds;
    }

    const int BatchSize = 1024;

    /// <summary>
    /// Parsing and COPY overlap: a task parses into batches while the caller writes them to PostgreSQL, so each of the
    /// two cores has work. The channel is bounded, so memory stays flat whatever the file's size. Reading the channel
    /// to its end rethrows what the parser failed with (an ExtractRejectedException, say) once its rows are written.
    /// </summary>
    static (ChannelReader<StagedRow[]> Batches, Task Parser, Stopwatch Parse) ParseInBackground(ExtractReader reader, string path,
        IProgress<long>? progress, CancellationToken stopParsing)
    {
        var batches = Channel.CreateBounded<StagedRow[]>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var parse = new Stopwatch();
        var parser = Task.Run(async () =>
        {
            parse.Start();
            try
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                var batch = new List<StagedRow>(BatchSize);
                foreach (var row in reader.Read(stream, progress))
                {
                    batch.Add(row);
                    if (batch.Count == BatchSize)
                    {
                        parse.Stop();
                        await batches.Writer.WriteAsync([.. batch], stopParsing);
                        parse.Start();
                        batch.Clear();
                    }
                }
                await batches.Writer.WriteAsync([.. batch], stopParsing);
                batches.Writer.Complete();
            }
            catch (Exception e)
            {
                batches.Writer.Complete(e);
            }
            finally
            {
                parse.Stop();
            }
        }, CancellationToken.None);
        return (batches.Reader, parser, parse);
    }

    /// <summary>The parser must not outlive the load: stop it and wait, whatever happened.</summary>
    static async Task StopAsync(CancellationTokenSource stopParsing, Task parser)
    {
        await stopParsing.CancelAsync();
        try
        {
            await parser;
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Problems seen only once every row is read, which make the whole file untrustworthy.</summary>
    static void RefuseWhole(ExtractReader reader, StagedRow? lastRow, bool endsWithNewline, bool delta, long loadable)
    {
        if (!endsWithNewline && lastRow is { Rejected: true })
        {
            throw new ExtractRejectedException(
                $"the file ends in the middle of line {lastRow.Line} (no final line break, and that row is incomplete): it looks truncated; nothing was loaded");
        }
        if (!delta && loadable == 0)
        {
            throw new ExtractRejectedException(reader.RowsRead == 0
                ? "the full extract has a header but no rows; loading it would withdraw every record of the agency, so it was refused"
                : $"none of the {reader.RowsRead:N0} rows could be loaded (the first: line {lastRow?.Line}: {lastRow?.RejectField} {lastRow?.RejectReason}); "
                  + "a full extract with no loadable rows would withdraw every record, so it was refused");
        }
    }

    static string SqlType(FieldType type) => type switch { FieldType.Date => "date", FieldType.Money => "numeric(14,2)", _ => "text" };

    static void Write(BinaryCopy copy, StagedRow row, bool delta)
    {
        copy.StartRow((short)(11 + CanonicalField.All.Length));
        copy.Int64(row.Line);
        copy.Text(row.Key);
        if (row.Unchanged)
        {
            // Only the key matters: it keeps the record from being withdrawn.
            copy.Text("=");
            // seq and row_hash, the canonical fields, then extra, issues, reject_field, reject_reason, raw_line
            for (var i = 0; i < 2 + CanonicalField.All.Length + 5; i++)
            {
                copy.Null();
            }
            copy.Int32(0);
            return;
        }
        copy.Text(row.Rejected ? null : OpText(row.Op));
        copy.Int32(row.Seq);
        copy.Bytes(row.Hash);
        WriteFields(copy, row);
        copy.Text(row.RejectField);
        copy.Text(row.RejectReason);
        // Raw lines are kept for rejected rows (the agency must see what it sent) and for deltas (a delete may name a key we never had).
        copy.Text(row.Rejected || delta ? row.RawLine : null);
        copy.Int32(row.RawLength);
    }

    static string OpText(char op) => op switch { 'I' => "I", 'U' => "U", 'D' => "D", _ => op.ToString() };

    /// <summary>The canonical fields in <see cref="CanonicalField.All"/> order, then extra and issues.</summary>
    static void WriteFields(BinaryCopy copy, StagedRow row)
    {
        for (var i = 0; i < CanonicalField.All.Length; i++)
        {
            switch (row.Values[i])
            {
                case null: copy.Null(); break;
                case DateOnly d: copy.Date(d); break;
                case decimal m: copy.Numeric(m); break;
                case string text: copy.Text(text); break;
                default: throw new InvalidOperationException($"{CanonicalField.All[i].Name} holds a {row.Values[i]!.GetType().Name}");
            }
        }
        copy.Jsonb(row.ExtraJson);
        copy.TextArray(row.Issues);
    }

    sealed record Counts(int RowsRead, int Inserted, int Updated, int Unchanged, int Withdrawn, int Deleted, int Rejected);

    static readonly string s_fieldList = string.Join(", ", CanonicalField.All.Select(f => f.Name));
    static readonly string s_stagedFieldList = string.Join(", ", CanonicalField.All.Select(f => "s." + f.Name));
    static readonly string s_freshFieldList = string.Join(", ", CanonicalField.All.Select(f => "f." + f.Name));

    /// <summary>
    /// A full extract is the agency's whole truth today: new keys become records, changed rows become new versions,
    /// unchanged rows write nothing, and active records it no longer names (<c>gone</c>, known from the reading) are
    /// withdrawn, never deleted.
    /// </summary>
    static async Task<Counts> MergeFullAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string agency, long extractId, long[] gone,
        CancellationToken cancellationToken)
    {
        await LockSourceIdsAsync(connection, transaction, cancellationToken);
        var p = new { agency, extractId };
        var rejected = await SaveRejectedRowsAsync(connection, transaction, extractId, cancellationToken);
        var read = await connection.ExecuteScalarAsync<int>(new CommandDefinition("select count(*) from staging", transaction: transaction,
            cancellationToken: cancellationToken));

        // New keys get their record and first version by two straight scans: ids come from a block reserved once
        // (a nextval per row costs more than the insert) and are offset by the row's line, which is unique in the file,
        // so both scans agree without numbering the rows (a sort of a million wide rows). Rows that are rejected or
        // already known leave gaps in the ids, which cost nothing. The versions go first, while the anti-join still
        // finds no record for them.
        var lines = await connection.ExecuteScalarAsync<int>(new CommandDefinition("select coalesce(max(line), 1)::int from staging",
            transaction: transaction, cancellationToken: cancellationToken));
        var recordBase = await ReserveIdsAsync(connection, transaction, "source_record", lines, cancellationToken);
        var versionBase = await ReserveIdsAsync(connection, transaction, "source_record_version", lines, cancellationToken);
        var ids = new { agency, extractId, recordBase, versionBase };
        const string fresh = """
            (select s.*, s.line - 1 as n
             from staging s
             where s.reject_reason is null and s.op <> '='
               and not exists (select 1 from source_record r where r.agency_code = @agency and r.source_key = s.source_key)) f
            """;
        var inserted = await connection.ExecuteScalarAsync<int>(new CommandDefinition($"""
            with versions as (
                insert into source_record_version (id, source_record_id, extract_id, version, op, line_number, row_hash, {s_fieldList}, extra, issues)
                select @versionBase + f.n, @recordBase + f.n, @extractId, 1, 'I', f.line, f.row_hash, {s_freshFieldList}, f.extra, f.issues
                from {fresh}
                returning source_record_id
            ), queued as (
                insert into match_queue (source_record_id, extract_id) select source_record_id, @extractId from versions
            )
            select count(*)::int from versions
            """, ids, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition($"""
            insert into source_record (id, agency_code, source_key, status, current_version_id, first_extract_id, changed_extract_id)
            select @recordBase + f.n, @agency, f.source_key, 'active', @versionBase + f.n, @extractId, @extractId
            from {fresh}
            """, ids, transaction, cancellationToken: cancellationToken));

        // Known keys whose row differs from their current version, or that come back after a withdrawal.
        var updated = await connection.ExecuteScalarAsync<int>(new CommandDefinition($"""
            with changed as (
                insert into source_record_version (source_record_id, extract_id, version, op, line_number, row_hash, {s_fieldList}, extra, issues)
                select r.id, @extractId, v.version + 1, 'U', s.line, s.row_hash, {s_stagedFieldList}, s.extra, s.issues
                from staging s
                join source_record r on r.agency_code = @agency and r.source_key = s.source_key
                join source_record_version v on v.id = r.current_version_id
                where s.reject_reason is null and s.op <> '='
                  and r.first_extract_id <> @extractId
                  and (v.row_hash <> s.row_hash or r.status <> 'active')
                returning source_record_id, id
            ), moved as (
                update source_record r set current_version_id = c.id, status = 'active', changed_extract_id = @extractId, changed_at = now()
                from changed c where r.id = c.source_record_id
                returning r.id
            ), queued as (
                insert into match_queue (source_record_id, extract_id) select id, @extractId from moved
            )
            select count(*)::int from changed
            """, p, transaction, cancellationToken: cancellationToken));

        // Which active records the file no longer names was worked out while it was read (against the list of them
        // fetched for the row fingerprints), instead of by an anti-join of every record against every staged row.
        var withdrawn = await connection.ExecuteScalarAsync<int>(new CommandDefinition("""
            with gone as (
                update source_record r set status = 'withdrawn', changed_extract_id = @extractId, changed_at = now()
                where r.id = any(@gone) and r.status = 'active'
                returning r.id
            ), queued as (
                insert into match_queue (source_record_id, extract_id) select id, @extractId from gone
            )
            select count(*)::int from gone
            """, new { extractId, gone }, transaction, cancellationToken: cancellationToken));

        return new Counts(read, inserted, updated, read - rejected - inserted - updated, withdrawn, 0, rejected);
    }

    /// <summary>
    /// A delta says what changed, in SEQ order: every row becomes a version (a key may change twice in one file), and a
    /// record's state follows its last row. A delete of a key the hub never had is rejected: it names nothing.
    /// </summary>
    static async Task<Counts> MergeDeltaAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string agency, long extractId, int sequence,
        CancellationToken cancellationToken)
    {
        await LockSourceIdsAsync(connection, transaction, cancellationToken);
        var p = new { agency, extractId, sequence };
        await connection.ExecuteAsync(new CommandDefinition("""
            update staging s set reject_field = 'OP', reject_reason = 'deletes a record this agency never sent'
            where s.reject_reason is null and s.op = 'D'
              and not exists (select 1 from source_record r where r.agency_code = @agency and r.source_key = s.source_key)
              and not exists (select 1 from staging i where i.source_key = s.source_key and i.seq < s.seq and i.op <> 'D' and i.reject_reason is null)
            """, p, transaction, cancellationToken: cancellationToken));
        var rejected = await SaveRejectedRowsAsync(connection, transaction, extractId, cancellationToken);
        var read = await connection.ExecuteScalarAsync<int>(new CommandDefinition("select count(*) from staging", transaction: transaction,
            cancellationToken: cancellationToken));

        // Deltas are small: new records get a placeholder version pointer that the statement below sets.
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            insert into source_record (agency_code, source_key, status, current_version_id, first_extract_id, changed_extract_id)
            select distinct @agency, s.source_key, 'active', 0, @extractId, @extractId
            from staging s
            where s.reject_reason is null
              and not exists (select 1 from source_record r where r.agency_code = @agency and r.source_key = s.source_key)
            """, p, transaction, cancellationToken: cancellationToken));

        var ops = await connection.QueryAsync<(char Op, int Count)>(new CommandDefinition($"""
            with versions as (
                insert into source_record_version (source_record_id, extract_id, version, op, line_number, row_hash, {s_fieldList}, extra, issues)
                select r.id, @extractId, coalesce(v.version, 0) + row_number() over (partition by r.id order by s.seq), s.op, s.line, s.row_hash,
                       {s_stagedFieldList}, s.extra, s.issues
                from staging s
                join source_record r on r.agency_code = @agency and r.source_key = s.source_key
                left join source_record_version v on v.id = r.current_version_id
                where s.reject_reason is null
                returning source_record_id, id, op, version
            ), last as (
                select distinct on (source_record_id) source_record_id, id, op from versions order by source_record_id, version desc
            ), moved as (
                update source_record r
                set current_version_id = l.id, status = case when l.op = 'D' then 'deleted' else 'active' end,
                    changed_extract_id = @extractId, changed_at = now()
                from last l where r.id = l.source_record_id
                returning r.id
            ), queued as (
                insert into match_queue (source_record_id, extract_id) select id, @extractId from moved
            )
            select op, count(*)::int from versions group by op
            """, p, transaction, cancellationToken: cancellationToken));
        var byOp = ops.ToDictionary(o => o.Op, o => o.Count);

        await connection.ExecuteAsync(new CommandDefinition("""
            insert into agency_delta_state (agency_code, last_sequence) values (@agency, @sequence)
            on conflict (agency_code) do update set last_sequence = excluded.last_sequence
            """, p, transaction, cancellationToken: cancellationToken));
        var changes = byOp.GetValueOrDefault('I') + byOp.GetValueOrDefault('U');
        return new Counts(read, inserted, changes - inserted, 0, 0, byOp.GetValueOrDefault('D'), rejected);
    }

    /// <summary>The agency's active records: key hash to current row hash (null when there are none), and each one's id.</summary>
    sealed record ActiveRecords(Dictionary<UInt128, UInt128>? Hashes, List<(UInt128 KeyHash, long Id)> Ids);

    static async Task<ActiveRecords> ActiveRecordsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string agency,
        Dictionary<string, long> timings, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        await using var command = new NpgsqlCommand("""
            select r.source_key, v.row_hash, r.id
            from source_record r join source_record_version v on v.id = r.current_version_id
            where r.agency_code = @agency and r.status = 'active'
            """, connection, transaction);
        command.Parameters.AddWithValue("agency", agency);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var map = new Dictionary<UInt128, UInt128>();
        var ids = new List<(UInt128, long)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = ExtractReader.KeyHash(reader.GetString(0));
            map[key] = ExtractReader.ToUInt128((byte[])reader[1]);
            ids.Add((key, reader.GetInt64(2)));
        }
        timings["current_hashes_ms"] = watch.ElapsedMilliseconds;
        return new ActiveRecords(map.Count == 0 ? null : map, ids);
    }

    /// <summary>Takes <paramref name="count"/> ids from a table's sequence in one call; returns the first.</summary>
    static async Task<long> ReserveIdsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, int count,
        CancellationToken cancellationToken)
    {
        var last = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select setval(pg_get_serial_sequence(@table, 'id'), nextval(pg_get_serial_sequence(@table, 'id')) + @extra)",
            new { table, extra = Math.Max(count, 1) - 1 }, transaction, cancellationToken: cancellationToken));
        return last - Math.Max(count, 1) + 1;
    }

    static Task<int> SaveRejectedRowsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long extractId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            insert into rejected_row (extract_id, line_number, field, reason, raw_line, raw_length)
            select @extractId, line, reject_field, reject_reason, raw_line, raw_length from staging where reject_reason is not null order by line
            """, new { extractId }, transaction, cancellationToken: cancellationToken));
}

/// <summary>
/// What can be known about a file before parsing it: size, problems visible in its bytes, its line breaks, and its
/// checksum. The checksum is computed on its own pass and thread (SHA-256 runs at about 175 MB/s here): a file sent
/// before must be recognised before anything of it is committed, but only a first load goes ahead without it.
/// </summary>
sealed record FileFacts(Task<string> Checksum, long Size, string? Problem, bool StartsWithUtf8Bom, bool EndsWithNewline, long LineBreaks)
{
    public static async Task<FileFacts> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new ExtractRequestException($"no such file: {path}");
        }
        var checksum = Task.Run(() => ChecksumAsync(path, cancellationToken), cancellationToken);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        var first = Array.Empty<byte>();
        byte last = 0;
        long size = 0;
        long lineBreaks = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (size == 0)
            {
                first = buffer[..Math.Min(read, 4)];
            }
            last = buffer[read - 1];
            lineBreaks += buffer.AsSpan(0, read).Count((byte)'\n');
            size += read;
        }
        string? problem = null;
        if (size == 0)
        {
            problem = "the file is empty: not even a header line";
        }
        else if (first is [0xFF, 0xFE, ..] || first is [0xFE, 0xFF, ..])
        {
            problem = "the file is UTF-16 (it starts with a UTF-16 byte order mark); agencies send UTF-8 or Windows-1252 as their contract says";
        }
        return new FileFacts(checksum, size, problem, first is [0xEF, 0xBB, 0xBF, ..], last == (byte)'\n', lineBreaks);
    }

    static async Task<string> ChecksumAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
