using System.Diagnostics;
using Dapper;
using Npgsql;

namespace PaduHub.Ingestion;

/// <summary>Merges a staged full extract, the agency's whole truth today, into its source records.</summary>
static class FullMerge
{
    /// <summary>
    /// A full extract is the agency's whole truth today: new keys become records, changed rows become new versions,
    /// unchanged rows write nothing, and active records it no longer names (<c>gone</c>, known from the reading) are
    /// withdrawn, never deleted.
    /// </summary>
    public static async Task<LoadCounts> MergeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string agency, long extractId, long[] gone,
        CancellationToken cancellationToken)
    {
        await SourceIds.LockAsync(connection, transaction, cancellationToken);
        var p = new { agency, extractId };
        var rejected = await RejectedRows.SaveFromStagingAsync(connection, transaction, extractId, cancellationToken);
        var read = await connection.ExecuteScalarAsync<int>(new CommandDefinition("select count(*) from staging", transaction: transaction,
            cancellationToken: cancellationToken));

        // New keys get their record and first version by two straight scans: ids come from a block reserved once
        // (a nextval per row costs more than the insert) and are offset by the row's line, which is unique in the file,
        // so both scans agree without numbering the rows (a sort of a million wide rows). Rows that are rejected or
        // already known leave gaps in the ids, which cost nothing. The versions go first, while the anti-join still
        // finds no record for them.
        var lines = await connection.ExecuteScalarAsync<int>(new CommandDefinition("select coalesce(max(line), 1)::int from staging",
            transaction: transaction, cancellationToken: cancellationToken));
        var recordBase = await SourceIds.ReserveAsync(connection, transaction, "source_record", lines, cancellationToken);
        var versionBase = await SourceIds.ReserveAsync(connection, transaction, "source_record_version", lines, cancellationToken);
        var ids = new { agency, extractId, recordBase, versionBase };
        const string fresh = """
            (select s.*, s.line - 1 as n
             from staging s
             where s.reject_reason is null and s.op <> '='
               and not exists (select 1 from source_record r where r.agency_code = @agency and r.source_key = s.source_key)) f
            """;
        var inserted = await connection.ExecuteScalarAsync<int>(new CommandDefinition($"""
            with versions as (
                insert into source_record_version (id, source_record_id, extract_id, version, op, line_number, row_hash, {ExtractStaging.FieldList}, extra, issues)
                select @versionBase + f.n, @recordBase + f.n, @extractId, 1, 'I', f.line, f.row_hash, {ExtractStaging.FreshFieldList}, f.extra, f.issues
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
                insert into source_record_version (source_record_id, extract_id, version, op, line_number, row_hash, {ExtractStaging.FieldList}, extra, issues)
                select r.id, @extractId, v.version + 1, 'U', s.line, s.row_hash, {ExtractStaging.StagedFieldList}, s.extra, s.issues
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

        return new LoadCounts(read, inserted, updated, read - rejected - inserted - updated, withdrawn, 0, rejected);
    }

    /// <summary>The agency's active records: key hash to current row hash (null when there are none), and each one's id.</summary>
    public sealed record ActiveRecords(Dictionary<UInt128, UInt128>? Hashes, List<(UInt128 KeyHash, long Id)> Ids);

    public static async Task<ActiveRecords> ActiveRecordsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string agency,
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
            var key = RowFingerprint.KeyHash(reader.GetString(0));
            map[key] = RowFingerprint.ToUInt128((byte[])reader[1]);
            ids.Add((key, reader.GetInt64(2)));
        }
        timings["current_hashes_ms"] = watch.ElapsedMilliseconds;
        return new ActiveRecords(map.Count == 0 ? null : map, ids);
    }
}
