using System.Text.Json;
using Dapper;
using Npgsql;
using PaduHub.Matching;

namespace PaduHub.GoldenRecords;

/// <summary>
/// An incremental run's write: a handful of rows, so every statement takes them as array parameters and all go in one
/// round trip (staging them in temporary tables cost more than writing them: two round trips per COPY, and the
/// truncation at commit). Membership is rewritten for the records of the golden records that may have changed (and for
/// records withdrawn), the crosswalk for those golden records and the ones retired or withdrawn; review pairs for the
/// whole neighbourhood.
/// </summary>
static class GoldenArrayWrite
{
    /// <remarks><c>rows</c>: the change set's rows, already made; <c>mayChange</c>: the golden records the run could change; <c>arrived</c>: the run's queued source records; <c>queuedForHouseholds</c>: golden ids whose households are formed again.</remarks>
    public static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<GoldenRow> rows, GoldenChangeSet changes,
        Dictionary<long, long> retired, long[] withdrawn, HashSet<long> mayChange, long[] arrived, List<SourcePerson> people,
        LinkageResult result, long[] queuedForHouseholds)
    {
        var memberRows = changes.MemberRows;
        var touched = people.Select(p => p.Id).Concat(arrived).Distinct().ToArray();
        var memberSources = memberRows.Select(m => m.Source).Concat(arrived).Distinct().ToArray();
        var rewritten = mayChange.Concat(retired.Keys).Concat(withdrawn).Distinct().ToArray();
        var identifiers = changes.Crosswalk().ToList();
        var pairs = result.Review.Select(item =>
        {
            var (a, b) = (people[item.Pair.A].Id, people[item.Pair.B].Id);
            return (A: Math.Min(a, b), B: Math.Max(a, b), item.Pair.Weight, item.Pair.Probability,
                Fields: JsonSerializer.Serialize(item.Pair.Fields, GoldenWriteSql.Json), Reason: GoldenWriteSql.ReasonText(item.Reason));
        }).ToList();
        await connection.ExecuteAsync($"""
            with n as (
                select * from unnest(@goldenIds, @versions, @changes, @members, @mykads, @names, @dobs, @sexes, @attributes)
                    as n(id, version, change, members, mykad, full_name, date_of_birth, sex, attributes)),
            changed as (
                update golden_person p set status = 'active', successor_id = null, version = n.version, mykad = n.mykad, full_name = n.full_name,
                    date_of_birth = n.date_of_birth, sex = n.sex, attributes = n.attributes::jsonb, updated_at = now()
                from n where p.id = n.id and n.version > 1),
            created as (
                insert into golden_person (id, status, version, mykad, full_name, date_of_birth, sex, attributes)
                select id, 'active', version, mykad, full_name, date_of_birth, sex, attributes::jsonb from n where version = 1)
            insert into golden_person_history (golden_id, version, change, attributes, members)
            select id, version, change, attributes::jsonb, members::bigint[] from n;
            {GoldenWriteSql.Retire}
            delete from golden_member where source_record_id = any(@memberSources);
            delete from golden_identifier where golden_id = any(@rewritten);
            delete from match_pair where source_a = any(@touched) or source_b = any(@touched);
            insert into golden_member (source_record_id, golden_id) select * from unnest(@newMemberSources, @memberGoldens);
            insert into golden_identifier (kind, value, golden_id, agencies)
            select kind, value, golden_id, string_to_array(agencies, ',') from unnest(@kinds, @values, @identifierGoldens, @agencies)
                as i(kind, value, golden_id, agencies);
            insert into match_pair (source_a, source_b, weight, probability, fields, reason)
            select a, b, weight, probability, fields::jsonb, reason from unnest(@pairA, @pairB, @weights, @probabilities, @fields, @reasons)
                as r(a, b, weight, probability, fields, reason)
            on conflict (source_a, source_b) do update set weight = excluded.weight, probability = excluded.probability,
                fields = excluded.fields, reason = excluded.reason, queued_at = now();
            insert into household_queue (golden_id) select unnest(@queued);
            """, new
        {
            goldenIds = rows.Select(r => r.Id).ToArray(),
            versions = rows.Select(r => r.Version).ToArray(),
            changes = rows.Select(r => r.Change).ToArray(),
            // Arrays of arrays do not unnest row by row, so each member list travels as its array literal.
            members = rows.Select(r => "{" + string.Join(',', r.Members) + "}").ToArray(),
            mykads = rows.Select(r => r.MyKad).ToArray(),
            names = rows.Select(r => r.FullName).ToArray(),
            dobs = rows.Select(r => r.DateOfBirth).ToArray(),
            sexes = rows.Select(r => r.Sex).ToArray(),
            attributes = rows.Select(r => r.AttributesJson).ToArray(),
            retiredIds = retired.Keys.ToArray(),
            successors = retired.Values.ToArray(),
            withdrawn,
            touched,
            memberSources,
            rewritten,
            newMemberSources = memberRows.Select(m => m.Source).ToArray(),
            memberGoldens = memberRows.Select(m => m.Golden).ToArray(),
            kinds = identifiers.Select(i => i.Kind).ToArray(),
            values = identifiers.Select(i => i.Value).ToArray(),
            identifierGoldens = identifiers.Select(i => i.Golden).ToArray(),
            // Agency codes are letters, digits and underscores (the contract says so), so a comma separates them safely.
            agencies = identifiers.Select(i => string.Join(',', i.Agencies)).ToArray(),
            pairA = pairs.Select(x => x.A).ToArray(),
            pairB = pairs.Select(x => x.B).ToArray(),
            weights = pairs.Select(x => x.Weight).ToArray(),
            probabilities = pairs.Select(x => x.Probability).ToArray(),
            fields = pairs.Select(x => x.Fields).ToArray(),
            reasons = pairs.Select(x => x.Reason).ToArray(),
            queued = queuedForHouseholds,
        }, tx);
    }
}
