using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace PaduHub.Ingestion;

/// <summary>
/// Loads agency extracts. Each file lands whole or not at all: one transaction holds the receipt, the staging COPY,
/// the merge into source records (a new version only where something changed), the withdrawals of a full extract,
/// the rejected rows and the matching queue. Loads of one agency wait for each other (an advisory lock); the same
/// bytes sent twice return the first receipt; a delta that arrives early is held until the gap is filled. An agency's
/// first full extract takes a shorter way, in the same one transaction (FirstLoad.cs).
/// </summary>
public sealed class ExtractLoader(string connectionString, AgencyContracts contracts, string spoolFolder, ILogger? logger = null)
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
        if (receipt is { Duplicate: true, Status: ExtractStatus.Queued })
        {
            // Received before and never loaded (a hub took it and was killed): these bytes are here now, so load them.
            return await LoadQueuedAsync(receipt.Id, cancellationToken, request.FilePath);
        }
        if (receipt is { Kind: ExtractKind.Delta, Status: ExtractStatus.Loaded, Duplicate: false })
        {
            await ApplyHeldDeltasAsync(contract, cancellationToken);
        }
        return receipt;
    }

    /// <summary>
    /// Loads a file that was received earlier (upload, drop folder) and is waiting in the spool under its receipt; or,
    /// when its spool copy is gone, from <paramref name="sentAgain"/>, the same bytes sent again.
    /// </summary>
    public async Task<ExtractReceipt> LoadQueuedAsync(long extractId, CancellationToken cancellationToken = default, string? sentAgain = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var queued = await connection.QuerySingleOrDefaultAsync<(string Agency, string Kind, int? Sequence, string FileName, string Via, string Status, string? Spool)?>(
            new CommandDefinition("select agency_code, kind, sequence, file_name, received_via, status, spool_path from extract where id = @extractId",
                new { extractId }, cancellationToken: cancellationToken))
            ?? throw new ExtractRequestException($"no extract {extractId}");
        var spool = queued.Spool is { } spooled && File.Exists(spooled) ? spooled : sentAgain;
        if (queued.Status != ExtractStatus.Queued || spool is null)
        {
            return (await ExtractReceipt.FindAsync(connection, extractId, cancellationToken))!;
        }
        var contract = Contracts.For(queued.Agency);
        var request = new ExtractRequest(queued.Agency, spool, queued.FileName, queued.Via);
        var file = await FileFacts.ReadAsync(spool, cancellationToken);
        var receipt = await LoadOneAsync(contract, request, queued.Kind, queued.Sequence, file, extractId, null, cancellationToken);
        if (receipt.Status != ExtractStatus.Held && spool != sentAgain && File.Exists(spool))
        {
            File.Delete(spool);
        }
        if (receipt is { Kind: ExtractKind.Delta, Status: ExtractStatus.Loaded })
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
        if (await ExtractReceipts.FindByChecksumAsync(connection, contract.Agency, checksum, sequence, cancellationToken) is { } earlier)
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
        var id = await ExtractReceipts.InsertQueuedAsync(connection, transaction, contract.Agency, kind, sequence, request, checksum, file.Size,
            cancellationToken, spool);
        await transaction.CommitAsync(cancellationToken);
        return (await ExtractReceipt.FindAsync(connection, id, cancellationToken))!;
    }

    static (string Kind, int? Sequence) Classify(AgencyContract contract, ExtractRequest request)
    {
        if (request.Kind is ExtractKind.Full)
        {
            return (ExtractKind.Full, null);
        }
        if (request.Kind is ExtractKind.Delta)
        {
            return request.Sequence is { } s ? (ExtractKind.Delta, s)
                : contract.Classify(request.FileName) is (ExtractKind.Delta, { } named) ? (ExtractKind.Delta, named)
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

    /// <summary>
    /// One file's load in one transaction: the receipt, then a refusal that needs no reading (a problem in the bytes, a
    /// delta out of sequence), else the rows read and merged, and the receipt marked loaded or, if the rows showed the
    /// file cannot be trusted, rejected with nothing else kept.
    /// </summary>
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
            var readableFull = kind == ExtractKind.Full && file.Problem is null && !bomMismatch;
            var firstLoad = readableFull && await FirstLoad.IsFirstLoadAsync(connection, transaction, contract.Agency, cancellationToken);
            // A full extract does not wait for the file's checksum (a second pass over the file): it is computed
            // alongside the load, and a repeat is recognised before anything commits. A delta is checked first: whether
            // it repeats decides how its sequence number is judged.
            var deferChecksum = readableFull && existingId is null;
            var checksum = deferChecksum ? $"pending {Guid.NewGuid():N}" : await file.Checksum;
            if (existingId is null && !deferChecksum && await DuplicateOfAsync(connection, contract.Agency, checksum, sequence, cancellationToken) is { } earlier)
            {
                return earlier;
            }
            var receiptId = existingId ?? await ExtractReceipts.InsertQueuedAsync(connection, transaction, contract.Agency, kind, sequence, request,
                checksum, file.Size, cancellationToken);
            if (await RefusalBeforeReadingAsync(connection, transaction, contract, kind, sequence, file, bomMismatch, cancellationToken) is { } refusal)
            {
                return refusal.Hold is { } expected
                    ? await HoldAsync(connection, transaction, receiptId, contract, request, file, expected, sequence!.Value, cancellationToken)
                    : await FinishRejectedAsync(connection, transaction, receiptId, refusal.Reason!, cancellationToken);
            }

            var timings = new Dictionary<string, long>();
            LoadCounts counts;
            try
            {
                counts = await ReadAndMergeAsync(connection, transaction, contract, request, kind, sequence, file, firstLoad, receiptId, timings,
                    progress, cancellationToken);
            }
            catch (ExtractRejectedException rejected)
            {
                // Nothing staged survives: roll back to the receipt alone, then say why.
                await transaction.DisposeAsync();
                transaction = await connection.BeginTransactionAsync(cancellationToken);
                await LockAgencyAsync(connection, contract.Agency, cancellationToken);
                checksum = await file.Checksum;
                if (deferChecksum && await DuplicateOfAsync(connection, contract.Agency, checksum, sequence, cancellationToken) is { } rejectedBefore)
                {
                    return rejectedBefore;
                }
                receiptId = await ExtractReceipts.InsertQueuedAsync(connection, transaction, contract.Agency, kind, sequence, request, checksum,
                    file.Size, cancellationToken, again: true);
                return await FinishRejectedAsync(connection, transaction, receiptId, rejected.Message, cancellationToken);
            }

            if (deferChecksum)
            {
                checksum = await file.Checksum;
                // The same bytes were received while this load ran, or rejected before: what was loaded goes.
                if (await DuplicateOfAsync(connection, contract.Agency, checksum, sequence, cancellationToken) is { } sentBefore)
                {
                    return sentBefore;
                }
            }
            timings["total_ms"] = total.ElapsedMilliseconds;
            await ExtractReceipts.MarkLoadedAsync(connection, transaction, receiptId, counts, timings, checksum, cancellationToken);
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

    /// <summary>Why a file is refused, or held (<see cref="Hold"/>: the sequence it waits for), before any row is read.</summary>
    sealed record Refusal(string? Reason, int? Hold = null);

    static async Task<Refusal?> RefusalBeforeReadingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AgencyContract contract,
        string kind, int? sequence, FileFacts file, bool bomMismatch, CancellationToken cancellationToken)
    {
        if (file.Problem is { } problem)
        {
            return new Refusal(problem);
        }
        if (bomMismatch)
        {
            return new Refusal($"the file starts with a UTF-8 byte order mark, but {contract.Agency}'s contract says {contract.Encoding}; nothing was loaded");
        }
        if (kind != ExtractKind.Delta)
        {
            return null;
        }
        var last = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "select last_sequence from agency_delta_state where agency_code = @agency", new { agency = contract.Agency }, transaction, cancellationToken: cancellationToken)) ?? 0;
        if (sequence <= last)
        {
            return new Refusal($"delta sequence {sequence} of {contract.Agency} was already applied and this file differs from it; send sequence {last + 1}");
        }
        return sequence > last + 1 ? new Refusal(null, last + 1) : null;
    }

    /// <summary>The rows read and merged into the agency's source records: by the first-load path, or staged and merged.</summary>
    static async Task<LoadCounts> ReadAndMergeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AgencyContract contract,
        ExtractRequest request, string kind, int? sequence, FileFacts file, bool firstLoad, long receiptId, Dictionary<string, long> timings,
        IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var full = kind == ExtractKind.Full;
        var active = full && !firstLoad ? await FullMerge.ActiveRecordsAsync(connection, transaction, contract.Agency, timings, cancellationToken) : null;
        var reader = new ExtractReader(contract, !full, DateOnly.FromDateTime(DateTime.UtcNow))
        {
            Current = active?.Hashes,
            ExpectedRows = file.LineBreaks,
        };
        if (firstLoad)
        {
            return await FirstLoad.LoadAsync(connection, transaction, reader, request.FilePath, file, contract, receiptId, timings, progress,
                cancellationToken);
        }
        await ExtractStaging.StageAsync(connection, reader, request.FilePath, !full, file.EndsWithNewline, timings, progress, cancellationToken);
        var merge = Stopwatch.StartNew();
        var counts = full
            ? await FullMerge.MergeAsync(connection, transaction, contract.Agency, receiptId,
                active is null ? [] : [.. active.Ids.Where(r => !reader.Named(r.KeyHash)).Select(r => r.Id)], cancellationToken)
            : await DeltaMerge.MergeAsync(connection, transaction, contract.Agency, receiptId, sequence!.Value, cancellationToken);
        timings["merge_ms"] = merge.ElapsedMilliseconds;
        return counts;
    }

    static Task LockAgencyAsync(NpgsqlConnection connection, string agency, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtext('padu.ingest.' || @agency))", new { agency },
            cancellationToken: cancellationToken));

    /// <summary>The first receipt of the same bytes from the same agency, marked as a duplicate; null when they are new.</summary>
    async Task<ExtractReceipt?> DuplicateOfAsync(NpgsqlConnection connection, string agency, string checksum, int? sequence,
        CancellationToken cancellationToken)
    {
        if (await ExtractReceipts.FindByChecksumAsync(connection, agency, checksum, sequence, cancellationToken) is not { } earlier)
        {
            return null;
        }
        Log.DuplicateExtract(_logger, agency, earlier.Id);
        return earlier with { Duplicate = true };
    }

    async Task<ExtractReceipt> FinishRejectedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, string reason,
        CancellationToken cancellationToken)
    {
        await ExtractReceipts.MarkRejectedAsync(connection, transaction, id, reason, cancellationToken);
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
        await ExtractReceipts.MarkHeldAsync(connection, transaction, id, spool,
            $"held: waiting for delta sequence {expected} of {contract.Agency}; this is sequence {sequence}", cancellationToken);
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
            var next = await connection.QuerySingleOrDefaultAsync<(long Id, string Spool)?>(new CommandDefinition($"""
                select e.id, e.spool_path from extract e
                where e.agency_code = @agency and e.status = '{ExtractStatus.Held}'
                  and e.sequence = coalesce((select last_sequence from agency_delta_state where agency_code = @agency), 0) + 1
                """, new { agency = contract.Agency }, cancellationToken: cancellationToken));
            if (next is not { } held)
            {
                return;
            }
            await ExtractReceipts.RequeueAsync(connection, held.Id, cancellationToken);
            var receipt = await LoadQueuedAsync(held.Id, cancellationToken);
            if (receipt.Status != ExtractStatus.Loaded)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Deletes spooled files no receipt waits on (a queued or held extract's stays however old) and uploads left half
    /// written, once older than <paramref name="keep"/>. A load deletes its own spool file; these are what a crash or a
    /// refused upload left behind. Returns how many files went.
    /// </summary>
    public async Task<int> PruneSpoolAsync(TimeSpan keep, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(spoolFolder))
        {
            return 0;
        }
        await using var connection = new NpgsqlConnection(connectionString);
        var waiting = (await connection.QueryAsync<string>(new CommandDefinition(
                $"select spool_path from extract where status in ('{ExtractStatus.Queued}', '{ExtractStatus.Held}') and spool_path is not null",
                cancellationToken: cancellationToken)))
            .Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        var cutoff = DateTime.UtcNow - keep;
        var pruned = 0;
        foreach (var file in Directory.EnumerateFiles(spoolFolder, "*", SearchOption.AllDirectories).ToList())
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff && !waiting.Contains(Path.GetFullPath(file)))
            {
                File.Delete(file);
                pruned++;
            }
        }
        return pruned;
    }

    string SpoolPath(string agency, string checksum, string fileName)
    {
        var folder = Path.Combine(spoolFolder, agency);
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $"{checksum[..16]}-{Path.GetFileName(fileName)}");
    }
}
