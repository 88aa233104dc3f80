using Dapper;
using Npgsql;

namespace PaduHub.Stewardship;

/// <summary>Household conflicts: listed for stewards and settled with a reason.</summary>
public static class HouseholdConflicts
{
    /// <summary>Open conflicts, oldest first, optionally of one kind.</summary>
    public static async Task<List<HouseholdConflict>> OpenAsync(NpgsqlConnection connection, string? kind, int limit, CancellationToken cancellationToken = default) =>
        (await connection.QueryAsync<(long Id, string Kind, long[] GoldenIds, string Detail, DateTime RaisedAt)>(new CommandDefinition("""
            select id, kind, golden_ids, detail->>'reason', raised_at from household_conflict
            where resolved_at is null and (@kind::text is null or kind = @kind)
            order by raised_at, id limit @limit
            """, new { kind, limit }, cancellationToken: cancellationToken)))
        .Select(r => new HouseholdConflict(r.Id, r.Kind, r.GoldenIds, r.Detail, r.RaisedAt)).ToList();

    /// <summary>
    /// A steward settles a conflict the data will go on showing (a man with two registered wives, a child a welfare
    /// office lists in two households on purpose): it closes with who and why, and formation, which never raises a
    /// known conflict twice, leaves it closed. The people stay as formation placed them.
    /// </summary>
    public static async Task SettleAsync(NpgsqlConnection connection, long id, string steward, string reason, CancellationToken cancellationToken = default)
    {
        ReviewQueue.RequireReason(reason);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var settled = await connection.QuerySingleOrDefaultAsync<(string Kind, long[] GoldenIds)?>(new CommandDefinition("""
            update household_conflict set resolved_at = now(), resolved_by = 'steward ' || @steward,
                detail = detail || jsonb_build_object('settled_because', @reason::text)
            where id = @id and resolved_at is null returning kind, golden_ids
            """, new { id, steward, reason }, tx, cancellationToken: cancellationToken))
            ?? throw new ReviewNotFoundException($"no open household conflict {id} (unknown, or already settled)");
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into steward_action (steward, action, golden_id, reason, detail)
            values (@steward, 'settle_conflict', @golden, @reason, jsonb_build_object('conflict', @id, 'kind', @kind::text, 'people', @people))
            """, new { steward, golden = settled.GoldenIds.FirstOrDefault(), reason, id, kind = settled.Kind, people = settled.GoldenIds }, tx,
            cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
    }
}
