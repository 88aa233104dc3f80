using System.Text.Json;
using Dapper;
using Npgsql;

namespace PaduHub.Ingestion;

/// <summary>The writes of a receipt's life in <c>extract</c>: received, then loaded, held or rejected.</summary>
static class ExtractReceipts
{
    /// <summary>
    /// A new queued receipt for a file. <paramref name="again"/> takes over the receipt of the same bytes if one
    /// exists (a load rolled back to its receipt alone, to say why it was refused).
    /// </summary>
    public static Task<long> InsertQueuedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string agency, string kind,
        int? sequence, ExtractRequest request, string checksum, long size, CancellationToken cancellationToken, string? spool = null,
        bool again = false) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition($"""
            insert into extract (agency_code, kind, sequence, file_name, checksum, size_bytes, status, received_via, spool_path, as_of)
            values (@agency, @kind, @sequence, @fileName, @checksum, @size, '{ExtractStatus.Queued}', @via, @spool, @asOf)
            {(again ? $"on conflict (agency_code, checksum, coalesce(sequence, 0)) where status <> '{ExtractStatus.Rejected}' do update set status = '{ExtractStatus.Queued}'" : "")}
            returning id
            """, new { agency, kind, sequence, fileName = request.FileName, checksum, size, via = request.ReceivedVia, spool, asOf = request.AsOf },
            transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// The receipt of the same file: the same bytes from the same agency and, for a delta, the same sequence. A refused
    /// file is not one: it may be sent again as it was told to.
    /// </summary>
    public static async Task<ExtractReceipt?> FindByChecksumAsync(NpgsqlConnection connection, string agency, string checksum, int? sequence,
        CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<ExtractReceipt>(new CommandDefinition($"""
            select {ExtractReceipt.Columns} from extract
            where agency_code = @agency and checksum = @checksum and coalesce(sequence, 0) = coalesce(@sequence, 0)
              and status <> '{ExtractStatus.Rejected}'
            """, new { agency, checksum, sequence }, cancellationToken: cancellationToken));

    public static Task MarkLoadedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, LoadCounts counts,
        Dictionary<string, long> timings, string checksum, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition($"""
            update extract set status = '{ExtractStatus.Loaded}', finished_at = now(), rows_read = @RowsRead, inserted = @Inserted,
                updated = @Updated, unchanged = @Unchanged, withdrawn = @Withdrawn, deleted = @Deleted, rejected = @Rejected,
                timings = @timings::jsonb, spool_path = null, reason = null, checksum = @checksum
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
            id,
            checksum
        }, transaction, cancellationToken: cancellationToken));

    public static Task MarkRejectedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, string reason,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            $"update extract set status = '{ExtractStatus.Rejected}', reason = @reason, finished_at = now(), spool_path = null where id = @id",
            new { id, reason }, transaction, cancellationToken: cancellationToken));

    public static Task MarkHeldAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, string spool, string reason,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            $"update extract set status = '{ExtractStatus.Held}', reason = @reason, spool_path = @spool where id = @id",
            new { id, spool, reason }, transaction, cancellationToken: cancellationToken));

    public static Task RequeueAsync(NpgsqlConnection connection, long id, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition($"update extract set status = '{ExtractStatus.Queued}' where id = @id", new { id },
            cancellationToken: cancellationToken));
}
