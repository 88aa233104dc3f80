using System.Text.Json;
using Dapper;
using Npgsql;
using PaduHub.GoldenRecords;

namespace PaduHub.Stewardship;

/// <summary>
/// A steward corrects a golden attribute with a reason, or withdraws a correction. The correction is kept in
/// <c>golden_correction</c> and logged in <c>steward_action</c>; the person's records are queued so the next matching
/// run (run at once by the workbench) lays it over the survived value. It stands through later extracts until the
/// agency sends a different value (see <see cref="GoldenCorrections"/>).
/// </summary>
public static class AttributeCorrections
{
    public static async Task<long> CorrectAsync(NpgsqlConnection connection, long goldenId, string attribute, string? value, string steward, string reason,
        CancellationToken cancellationToken = default)
    {
        ReviewQueue.RequireReason(reason);
        var clean = GoldenCorrections.Clean(attribute, value);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var attributes = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "select attributes::text from golden_person where id = @goldenId and status = 'active' for update", new { goldenId }, tx,
            cancellationToken: cancellationToken))
            ?? throw new ReviewNotFoundException($"golden person {goldenId} is not active (unknown, merged into another or withdrawn)");
        var shown = JsonSerializer.Deserialize(attributes, ProfileJson.Default.DictionaryStringAttributeLineage)!.GetValueOrDefault(attribute);
        // A correction of a correction keeps the agency value the first one stood over: the agency has not spoken since.
        var previous = await connection.QuerySingleOrDefaultAsync<(long Id, string? AgencyValue, string? Agency)?>(new CommandDefinition(
            "select id, agency_value, agency from golden_correction where golden_id = @goldenId and attribute = @attribute and ended_at is null",
            new { goldenId, attribute }, tx, cancellationToken: cancellationToken));
        var (agencyValue, agency) = previous is { } p ? (p.AgencyValue, p.Agency) : (shown?.Value, shown?.Agency);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            insert into golden_correction (golden_id, attribute, value, agency_value, agency, steward, reason)
            values (@goldenId, @attribute, @clean, @agencyValue, @agency, @steward, @reason) returning id
            """, new { goldenId, attribute, clean, agencyValue, agency, steward, reason }, tx, cancellationToken: cancellationToken));
        if (previous is { } old)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "update golden_correction set ended_at = now(), ended_why = 'replaced by correction ' || @id where id = @oldId and ended_at is null",
                new { id, oldId = old.Id }, tx, cancellationToken: cancellationToken));
        }
        // The log keeps which attribute and whose value it stood over, not the values: those are personal data.
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into steward_action (steward, action, golden_id, reason, detail)
            values (@steward, 'correct', @goldenId, @reason, jsonb_build_object('correction', @id, 'attribute', @attribute::text, 'over', @agency::text));
            insert into match_queue (source_record_id, extract_id) select source_record_id, 0 from golden_member where golden_id = @goldenId;
            """, new { steward, goldenId, reason, id, attribute, agency }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return id;
    }

    public static async Task WithdrawAsync(NpgsqlConnection connection, long correctionId, string steward, string reason,
        CancellationToken cancellationToken = default)
    {
        ReviewQueue.RequireReason(reason);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var goldenId = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
            update golden_correction set ended_at = now(), ended_why = 'withdrawn by ' || @steward where id = @correctionId and ended_at is null
            returning golden_id
            """, new { correctionId, steward }, tx, cancellationToken: cancellationToken))
            ?? throw new ReviewNotFoundException($"no correction {correctionId} in force to withdraw");
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into steward_action (steward, action, golden_id, reason, detail)
            values (@steward, 'withdraw_correction', @goldenId, @reason, jsonb_build_object('correction', @correctionId));
            insert into match_queue (source_record_id, extract_id) select source_record_id, 0 from golden_member where golden_id = @goldenId;
            """, new { steward, goldenId, reason, correctionId }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
    }
}
