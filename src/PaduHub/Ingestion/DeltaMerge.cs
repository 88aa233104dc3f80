using Dapper;
using Npgsql;

namespace PaduHub.Ingestion;

/// <summary>Merges a staged delta extract, row by row in SEQ order, into the agency's source records.</summary>
static class DeltaMerge
{
    /// <summary>
    /// A delta says what changed, in SEQ order: every row becomes a version (a key may change twice in one file), and a
    /// record's state follows its last row. A delete of a key the hub never had is rejected: it names nothing.
    /// </summary>
    public static async Task<LoadCounts> MergeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string agency, long extractId, int sequence,
        CancellationToken cancellationToken)
    {
        await SourceIds.LockAsync(connection, transaction, cancellationToken);
        var p = new { agency, extractId, sequence };
        await connection.ExecuteAsync(new CommandDefinition("""
            update staging s set reject_field = 'OP', reject_reason = 'deletes a record this agency never sent'
            where s.reject_reason is null and s.op = 'D'
              and not exists (select 1 from source_record r where r.agency_code = @agency and r.source_key = s.source_key)
              and not exists (select 1 from staging i where i.source_key = s.source_key and i.seq < s.seq and i.op <> 'D' and i.reject_reason is null)
            """, p, transaction, cancellationToken: cancellationToken));
        // An insert names a record the file has not inserted yet: a second I of one key (with no D between) is refused,
        // as a full extract refuses a key's second row; the first stands.
        await connection.ExecuteAsync(new CommandDefinition("""
            update staging s set reject_field = 'OP',
                reject_reason = 'inserts a record line ' || f.line || ' of this file already inserted; a change to it is an update'
            from (select distinct on (source_key) source_key, seq, line from staging where op = 'I' and reject_reason is null
                  order by source_key, seq) f
            where s.source_key = f.source_key and s.op = 'I' and s.seq > f.seq and s.reject_reason is null
              and not exists (select 1 from staging d where d.source_key = s.source_key and d.op = 'D' and d.seq > f.seq and d.seq < s.seq
                              and d.reject_reason is null)
            """, p, transaction, cancellationToken: cancellationToken));
        var rejected = await RejectedRows.SaveFromStagingAsync(connection, transaction, extractId, cancellationToken);
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
                insert into source_record_version (source_record_id, extract_id, version, op, line_number, row_hash, {ExtractStaging.FieldList}, extra, issues)
                select r.id, @extractId, coalesce(v.version, 0) + row_number() over (partition by r.id order by s.seq), s.op, s.line, s.row_hash,
                       {ExtractStaging.StagedFieldList}, s.extra, s.issues
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
        return new LoadCounts(read, inserted, changes - inserted, 0, 0, byOp.GetValueOrDefault('D'), rejected);
    }
}
