using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Npgsql;

namespace PaduHub.Households;

/// <summary>
/// A golden household as the read API serves it. Members and roles come with household:read; the address needs
/// profile:address and the income profile:income, as for persons.
/// </summary>
public sealed record HouseholdProfile(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("redirected_from")] long? RedirectedFrom,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("updated_at")] DateTime UpdatedAt,
    [property: JsonPropertyName("head_id")] long? HeadId,
    [property: JsonPropertyName("size")] int Size,
    [property: JsonPropertyName("members")] IReadOnlyList<HouseholdMember> Members,
    [property: JsonPropertyName("evidence")] JsonElement Evidence,
    [property: JsonPropertyName("address"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, GoldenRecords.ProfileAttribute>? Address,
    [property: JsonPropertyName("income"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] HouseholdIncomeView? Income)
{
    public HouseholdProfile View(bool address, bool income) => this with { Address = address ? Address : null, Income = income ? Income : null };

    public static async Task<long?> OfPersonAsync(NpgsqlConnection connection, long personId, CancellationToken cancellationToken = default) =>
        await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "select household_id from golden_household_member where golden_id = @personId", new { personId }, cancellationToken: cancellationToken));

    /// <summary>A household by id; a retired id answers with its successor. Null when unknown or dissolved.</summary>
    public static async Task<HouseholdProfile?> FindAsync(NpgsqlConnection connection, long id, CancellationToken cancellationToken = default)
    {
        var requested = id;
        for (var hops = 0; hops < 50; hops++)
        {
            using var results = await connection.QueryMultipleAsync(new CommandDefinition("""
                select id as Id, status as Status, successor_id as SuccessorId, version as Version, updated_at as UpdatedAt, head_id as HeadId, size as Size,
                       evidence::text as Evidence, address::text as Address, monthly_income as MonthlyIncome, per_capita_income as PerCapita,
                       income_group as IncomeGroup, income_year as IncomeYear, income_sources::text as IncomeSources
                from golden_household where id = @id;
                select golden_id, role from golden_household_member where household_id = @id order by role <> 'head', golden_id;
                """, new { id }, cancellationToken: cancellationToken));
            var row = await results.ReadSingleOrDefaultAsync<Row>();
            var members = (await results.ReadAsync<(long, string)>()).Select(m => new HouseholdMember(m.Item1, m.Item2)).ToList();
            switch (row)
            {
                case { Status: "retired", SuccessorId: { } next }:
                    id = next;
                    continue;
                case { Status: "active" } r:
                    // The head's address fields, each with its lineage, in the shape a person's have.
                    // A field the head's golden record lacks (a utility record with no town) is written as null: left out here.
                    var address = r.Address is null ? null : JsonSerializer.Deserialize(r.Address, GoldenRecords.ProfileJson.Default.DictionaryStringAttributeLineage)!
                        .Where(a => a.Value is not null).ToDictionary(a => a.Key, a => a.Value);
                    var dates = await GoldenRecords.ExtractDates.ForAsync(connection, address?.Values.Select(a => a.ExtractId) ?? [], cancellationToken);
                    return new HouseholdProfile(r.Id, requested == id ? null : requested, r.Version, DateTime.SpecifyKind(r.UpdatedAt, DateTimeKind.Utc), r.HeadId,
                        r.Size, members, Json(r.Evidence), address?.ToDictionary(a => a.Key, a => GoldenRecords.ProfileAttribute.Of(a.Value, dates)),
                        new HouseholdIncomeView(r.MonthlyIncome ?? 0, r.PerCapita ?? 0, r.IncomeGroup, r.IncomeYear, Json(r.IncomeSources)));
                default:
                    return null;
            }
        }
        return null;
    }

    static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    sealed record Row(long Id, string Status, long? SuccessorId, int Version, DateTime UpdatedAt, long? HeadId, int Size, string Evidence, string? Address,
        decimal? MonthlyIncome, decimal? PerCapita, string? IncomeGroup, int? IncomeYear, string IncomeSources);
}
