using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using PaduHub.Matching;
using static PaduHub.GoldenRecords.MatchingSetup;

namespace PaduHub.GoldenRecords;

/// <summary>
/// A full run's write: every table by binary COPY, golden records survived as the COPY asks for them. Members, the
/// crosswalk and review pairs go straight into their emptied tables. Each part is timed into the run's seconds
/// (<c>write_golden</c>, <c>write_history</c>, <c>write_members</c>, <c>write_crosswalk</c>, <c>write_indexes</c>, <c>write_pairs</c>).
/// </summary>
static class GoldenCopyWrite
{
    public static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, GoldenChangeSet changes,
        Dictionary<long, long> retired, long[] withdrawn, List<SourcePerson> people, LinkageResult result,
        Dictionary<string, double> seconds, CancellationToken cancellationToken)
    {
        var part = Stopwatch.StartNew();
        var (changedRows, createdMembers) = await WriteCreatedGoldenAsync(connection, tx, changes, cancellationToken);
        seconds["write_golden"] = Lap(part);
        // Every golden row is out, so members and the crosswalk are complete: they are put in order on another core while
        // PostgreSQL writes history (sorted inside their COPY, PostgreSQL waited for it).
        var memberRows = changes.MemberRows;
        var orderedMembers = Task.Run(memberRows.Sort, CancellationToken.None);
        var orderedCrosswalk = Task.Run(() => changes.Crosswalk().ToList(), CancellationToken.None);
        await WriteChangedGoldenAndHistoryAsync(connection, tx, changedRows, createdMembers, retired, withdrawn, cancellationToken);
        seconds["write_history"] = Lap(part);

        // The emptied tables are filled without their secondary indexes, which are built again afterwards: a million
        // inserts at random places in the golden-id indexes cost more than sorting once. Members go in by source
        // record id, so the primary key grows at its right edge.
        var secondary = await DropSecondaryIndexesAsync(connection, tx);
        await orderedMembers;
        seconds["write_members_sort"] = Lap(part);
        await WriteMembersAsync(connection, memberRows, cancellationToken);
        seconds["write_members"] = Lap(part);
        await WriteCrosswalkAsync(connection, await orderedCrosswalk, cancellationToken);
        seconds["write_crosswalk"] = Lap(part);
        foreach (var definition in secondary)
        {
            await connection.ExecuteAsync(definition, transaction: tx, commandTimeout: 0);
        }
        seconds["write_indexes"] = Lap(part);
        await WriteReviewPairsAsync(connection, people, result, cancellationToken);
        seconds["write_pairs"] = Lap(part);
    }

    /// <summary>
    /// New golden records go straight into golden_person, so PostgreSQL parses and stores each one's attributes once;
    /// changed ones are kept for the staged update that follows.
    /// </summary>
    static async Task<(List<GoldenRow> Changed, List<(long Id, long[] Members)> CreatedMembers)> WriteCreatedGoldenAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, GoldenChangeSet changes, CancellationToken cancellationToken)
    {
        // Records that changed are staged, as they update rows in place. The staging tables live as long as the pooled
        // session and are emptied by the commit.
        await connection.ExecuteAsync("""
            create temp table if not exists golden_next (id bigint, version int, change text, members bigint[], mykad text, full_name text,
                date_of_birth date, sex char(1), attributes jsonb) on commit delete rows;
            create temp table if not exists created_next (id bigint, members bigint[]) on commit delete rows;
            """, transaction: tx);
        var changedRows = new List<GoldenRow>();
        var createdMembers = new List<(long Id, long[] Members)>();
        await using var golden = await connection.BeginBinaryImportAsync(
            "copy golden_person (id, status, version, mykad, full_name, date_of_birth, sex, attributes) from stdin (format binary)", cancellationToken);
        foreach (var row in changes.Rows())
        {
            if (row.Version > 1)
            {
                changedRows.Add(row);
                continue;
            }
            createdMembers.Add((row.Id, row.Members));
            await golden.StartRowAsync(cancellationToken);
            await golden.WriteAsync(row.Id, NpgsqlDbType.Bigint, cancellationToken);
            await golden.WriteAsync("active", NpgsqlDbType.Text, cancellationToken);
            await golden.WriteAsync(row.Version, NpgsqlDbType.Integer, cancellationToken);
            await WriteGoldenColumnsAsync(golden, row, cancellationToken);
        }
        await golden.CompleteAsync(cancellationToken);
        return (changedRows, createdMembers);
    }

    /// <summary>Changed golden records updated from their staging, a line of history for every one written, retirements, and the emptied tables.</summary>
    static async Task WriteChangedGoldenAndHistoryAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<GoldenRow> changedRows,
        List<(long Id, long[] Members)> createdMembers, Dictionary<long, long> retired, long[] withdrawn, CancellationToken cancellationToken)
    {
        await using (var created = await connection.BeginBinaryImportAsync("copy created_next (id, members) from stdin (format binary)", cancellationToken))
        {
            foreach (var (id, memberIds) in createdMembers)
            {
                await created.StartRowAsync(cancellationToken);
                await created.WriteAsync(id, NpgsqlDbType.Bigint, cancellationToken);
                await created.WriteAsync(memberIds, NpgsqlDbType.Array | NpgsqlDbType.Bigint, cancellationToken);
            }
            await created.CompleteAsync(cancellationToken);
        }
        await using (var golden = await connection.BeginBinaryImportAsync(
            "copy golden_next (id, version, change, members, mykad, full_name, date_of_birth, sex, attributes) from stdin (format binary)", cancellationToken))
        {
            foreach (var row in changedRows)
            {
                await golden.StartRowAsync(cancellationToken);
                await golden.WriteAsync(row.Id, NpgsqlDbType.Bigint, cancellationToken);
                await golden.WriteAsync(row.Version, NpgsqlDbType.Integer, cancellationToken);
                await golden.WriteAsync(row.Change, NpgsqlDbType.Text, cancellationToken);
                await golden.WriteAsync(row.Members, NpgsqlDbType.Array | NpgsqlDbType.Bigint, cancellationToken);
                await WriteGoldenColumnsAsync(golden, row, cancellationToken);
            }
            await golden.CompleteAsync(cancellationToken);
        }
        await connection.ExecuteAsync($"""
            update golden_person p set status = 'active', successor_id = null, version = n.version, mykad = n.mykad, full_name = n.full_name,
                date_of_birth = n.date_of_birth, sex = n.sex, attributes = n.attributes, updated_at = now()
            from golden_next n where p.id = n.id;
            insert into golden_person_history (golden_id, version, change, attributes, members)
            select id, version, change, attributes, members from golden_next;
            insert into golden_person_history (golden_id, version, change, attributes, members)
            select p.id, p.version, 'created', p.attributes, c.members from created_next c join golden_person p on p.id = c.id;
            {GoldenWriteSql.Retire}
            truncate golden_member, golden_identifier, match_pair;
            """, new { retiredIds = retired.Keys.ToArray(), successors = retired.Values.ToArray(), withdrawn }, tx, commandTimeout: 0);
    }

    static async Task WriteGoldenColumnsAsync(NpgsqlBinaryImporter golden, GoldenRow row, CancellationToken cancellationToken)
    {
        await WriteTextAsync(golden, row.MyKad, cancellationToken);
        await WriteTextAsync(golden, row.FullName, cancellationToken);
        if (row.DateOfBirth is { } dob)
        {
            await golden.WriteAsync(dob, NpgsqlDbType.Date, cancellationToken);
        }
        else
        {
            await golden.WriteNullAsync(cancellationToken);
        }
        await WriteTextAsync(golden, row.Sex, cancellationToken);
        await golden.WriteAsync(row.AttributesJson, NpgsqlDbType.Jsonb, cancellationToken);
    }

    static async Task WriteTextAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await importer.WriteNullAsync(cancellationToken);
        }
        else
        {
            await importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
        }
    }

    /// <summary>Drops the members' and crosswalk's secondary indexes, returning the statements that make them again.</summary>
    static async Task<List<string>> DropSecondaryIndexesAsync(NpgsqlConnection connection, NpgsqlTransaction tx)
    {
        var secondary = (await connection.QueryAsync<(string Name, string Definition)>("""
            select i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) from pg_index i
            where i.indrelid in ('golden_member'::regclass, 'golden_identifier'::regclass)
              and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
            """, transaction: tx)).ToList();
        foreach (var (name, _) in secondary)
        {
            await connection.ExecuteAsync($"drop index {name}", transaction: tx);
        }
        return secondary.Select(s => s.Definition).ToList();
    }

    static async Task WriteMembersAsync(NpgsqlConnection connection, List<(long Source, long Golden)> memberRows, CancellationToken cancellationToken)
    {
        await using var members = await connection.BeginBinaryImportAsync(
            "copy golden_member (source_record_id, golden_id) from stdin (format binary)", cancellationToken);
        foreach (var (source, goldenId) in memberRows)
        {
            await members.StartRowAsync(cancellationToken);
            await members.WriteAsync(source, NpgsqlDbType.Bigint, cancellationToken);
            await members.WriteAsync(goldenId, NpgsqlDbType.Bigint, cancellationToken);
        }
        await members.CompleteAsync(cancellationToken);
    }

    static async Task WriteCrosswalkAsync(NpgsqlConnection connection, List<(string Kind, string Value, long Golden, string[] Agencies)> crosswalk,
        CancellationToken cancellationToken)
    {
        await using var identifiers = await connection.BeginBinaryImportAsync(
            "copy golden_identifier (kind, value, golden_id, agencies) from stdin (format binary)", cancellationToken);
        foreach (var (kind, value, goldenId, agencies) in crosswalk)
        {
            await identifiers.StartRowAsync(cancellationToken);
            await identifiers.WriteAsync(kind, NpgsqlDbType.Text, cancellationToken);
            await identifiers.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
            await identifiers.WriteAsync(goldenId, NpgsqlDbType.Bigint, cancellationToken);
            await identifiers.WriteAsync(agencies, NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
        }
        await identifiers.CompleteAsync(cancellationToken);
    }

    static async Task WriteReviewPairsAsync(NpgsqlConnection connection, List<SourcePerson> people, LinkageResult result, CancellationToken cancellationToken)
    {
        await using var pairs = await connection.BeginBinaryImportAsync(
            "copy match_pair (source_a, source_b, weight, probability, fields, reason) from stdin (format binary)", cancellationToken);
        foreach (var item in result.Review)
        {
            var (a, b) = (people[item.Pair.A].Id, people[item.Pair.B].Id);
            await pairs.StartRowAsync(cancellationToken);
            await pairs.WriteAsync(Math.Min(a, b), NpgsqlDbType.Bigint, cancellationToken);
            await pairs.WriteAsync(Math.Max(a, b), NpgsqlDbType.Bigint, cancellationToken);
            await pairs.WriteAsync(item.Pair.Weight, NpgsqlDbType.Double, cancellationToken);
            await pairs.WriteAsync(item.Pair.Probability, NpgsqlDbType.Double, cancellationToken);
            await pairs.WriteAsync(JsonSerializer.Serialize(item.Pair.Fields, GoldenWriteSql.Json), NpgsqlDbType.Jsonb, cancellationToken);
            await pairs.WriteAsync(GoldenWriteSql.ReasonText(item.Reason), NpgsqlDbType.Text, cancellationToken);
        }
        await pairs.CompleteAsync(cancellationToken);
    }
}
