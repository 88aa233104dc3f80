using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace PaduHub.Households;

/// <summary>Household runs' writes: households with their history, members, and conflicts for the stewards.</summary>
static class HouseholdWrites
{
    /// <summary>
    /// Writes the changed households and their members, and retires or dissolves the ones gone, each with a history row.
    /// </summary>
    public static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<HouseholdRow> rows, Dictionary<long, long> retired, long[] dissolved,
        int year, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition("""
            create temp table household_next (
                id bigint, version int, change text, head_id bigint, size int, address jsonb, monthly_income numeric(14,2), per_capita_income numeric(14,2),
                income_group text, income_sources jsonb, evidence jsonb, fingerprint text, snapshot jsonb) on commit drop;
            create temp table household_member_next (golden_id bigint, household_id bigint, role text) on commit drop;
            """, transaction: tx, cancellationToken: cancellationToken));
        await CopyAsync(connection, rows, cancellationToken);
        var retiredIds = retired.Keys.ToArray();
        var successors = retiredIds.Select(id => retired[id]).ToArray();
        await connection.ExecuteAsync(new CommandDefinition("""
            -- Members leave every household that changed, merged away or dissolved, then join where they are now.
            delete from golden_household_member m
            where m.household_id in (select id from household_next) or m.household_id = any(@retiredIds) or m.household_id = any(@dissolved)
               or m.golden_id in (select golden_id from household_member_next);
            insert into golden_household_member (golden_id, household_id, role) select golden_id, household_id, role from household_member_next;

            insert into golden_household (id, status, version, head_id, size, address, monthly_income, per_capita_income, income_group, income_year,
                                          income_sources, evidence, fingerprint)
            select id, 'active', version, head_id, size, address, monthly_income, per_capita_income, income_group, @year, income_sources, evidence, fingerprint
            from household_next
            on conflict (id) do update set status = 'active', successor_id = null, version = excluded.version, head_id = excluded.head_id,
                size = excluded.size, address = excluded.address, monthly_income = excluded.monthly_income,
                per_capita_income = excluded.per_capita_income, income_group = excluded.income_group, income_year = excluded.income_year,
                income_sources = excluded.income_sources, evidence = excluded.evidence, fingerprint = excluded.fingerprint, updated_at = now();
            insert into golden_household_history (household_id, version, change, snapshot) select id, version, change, snapshot from household_next;

            with gone as (
                update golden_household h set status = 'retired', successor_id = s.successor, version = h.version + 1, size = 0, fingerprint = '', updated_at = now()
                from unnest(@retiredIds, @successors) as s(id, successor) where h.id = s.id
                returning h.id, h.version, s.successor
            )
            insert into golden_household_history (household_id, version, change, snapshot)
            select id, version, 'merged into ' || successor, jsonb_build_object('successor_id', successor) from gone;

            with gone as (
                update golden_household h set status = 'dissolved', version = h.version + 1, size = 0, fingerprint = '', updated_at = now()
                where h.id = any(@dissolved) returning h.id, h.version
            )
            insert into golden_household_history (household_id, version, change, snapshot)
            select id, version, 'dissolved', '{}'::jsonb from gone;
            """, new { retiredIds, successors, dissolved, year }, tx, cancellationToken: cancellationToken));
    }

    /// <summary>The rows into the two temporary tables the write statements read.</summary>
    static async Task CopyAsync(NpgsqlConnection connection, List<HouseholdRow> rows, CancellationToken cancellationToken)
    {
        await using (var importer = await connection.BeginBinaryImportAsync("copy household_next from stdin (format binary)", cancellationToken))
        {
            foreach (var r in rows)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(r.Id, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(r.Version, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(r.Change, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(r.HeadId, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(r.Members.Count, NpgsqlDbType.Integer, cancellationToken);
                if (r.AddressJson is null)
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await importer.WriteAsync(r.AddressJson, NpgsqlDbType.Jsonb, cancellationToken);
                }
                await importer.WriteAsync(r.MonthlyIncome, NpgsqlDbType.Numeric, cancellationToken);
                await importer.WriteAsync(r.PerCapita, NpgsqlDbType.Numeric, cancellationToken);
                await importer.WriteAsync(r.IncomeGroup, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(r.SourcesJson, NpgsqlDbType.Jsonb, cancellationToken);
                await importer.WriteAsync(r.EvidenceJson, NpgsqlDbType.Jsonb, cancellationToken);
                await importer.WriteAsync(r.Fingerprint, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(r.SnapshotJson, NpgsqlDbType.Jsonb, cancellationToken);
            }
            await importer.CompleteAsync(cancellationToken);
        }
        await using (var importer = await connection.BeginBinaryImportAsync("copy household_member_next from stdin (format binary)", cancellationToken))
        {
            foreach (var r in rows)
            {
                foreach (var (goldenId, role) in r.Members)
                {
                    await importer.StartRowAsync(cancellationToken);
                    await importer.WriteAsync(goldenId, NpgsqlDbType.Bigint, cancellationToken);
                    await importer.WriteAsync(r.Id, NpgsqlDbType.Bigint, cancellationToken);
                    await importer.WriteAsync(role, NpgsqlDbType.Text, cancellationToken);
                }
            }
            await importer.CompleteAsync(cancellationToken);
        }
    }

    /// <summary>Raises conflicts not yet known; ones formation no longer finds are closed as settled by the data (in a
    /// scoped run, only those about people in its scope).</summary>
    public static async Task<int> WriteConflictsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<HouseholdConflictFound> conflicts, long[]? scope,
        CancellationToken cancellationToken)
    {
        var distinct = conflicts.DistinctBy(c => (c.Kind, c.SubjectKey)).ToList();
        var kinds = distinct.Select(c => c.Kind).ToArray();
        var keys = distinct.Select(c => c.SubjectKey).ToArray();
        var ids = distinct.Select(c => string.Join(',', c.GoldenIds)).ToArray();
        var details = distinct.Select(c => JsonSerializer.Serialize(new { reason = c.Detail })).ToArray();
        var raised = await connection.ExecuteAsync(new CommandDefinition("""
            insert into household_conflict (kind, subject_key, golden_ids, detail)
            select k, s, string_to_array(g, ',')::bigint[], d::jsonb from unnest(@kinds, @keys, @ids, @details) as c(k, s, g, d)
            on conflict (kind, subject_key) do nothing
            """, new { kinds, keys, ids, details }, tx, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("""
            update household_conflict c set resolved_at = now(), resolved_by = 'household formation: no longer found'
            where c.resolved_at is null and not exists (select 1 from unnest(@kinds, @keys) as f(k, s) where f.k = c.kind and f.s = c.subject_key)
              and (@scope::bigint[] is null or c.golden_ids && @scope)
            """, new { kinds, keys, scope }, tx, cancellationToken: cancellationToken));
        return raised;
    }
}
