using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Npgsql;

namespace PaduHub.GoldenRecords;

/// <summary>
/// A golden person as the read API serves it, in field groups a client is given by scope: identity (profile:read),
/// address and contact (profile:address), income and employer (profile:income).
/// </summary>
public sealed record PersonProfile(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("redirected_from")] long? RedirectedFrom,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("updated_at")] DateTime UpdatedAt,
    [property: JsonPropertyName("household_id")] long? HouseholdId,
    [property: JsonPropertyName("identity"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, ProfileAttribute>? Identity,
    [property: JsonPropertyName("identifiers"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ProfileIdentifier>? Identifiers,
    [property: JsonPropertyName("address"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, ProfileAttribute>? Address,
    [property: JsonPropertyName("income"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, ProfileAttribute>? Income)
{
    public static readonly string[] IdentityAttributes = ["full_name", "mykad", "date_of_birth", "sex", "citizenship", "marital_status", "death_date"];
    public static readonly string[] AddressAttributes = ["address", "postcode", "town", "district", "state", "phone"];
    public static readonly string[] IncomeAttributes = ["monthly_income", "annual_income", "employer"];

    /// <summary>Only the field groups named; the others are left out of the answer entirely.</summary>
    public PersonProfile View(bool identity, bool address, bool income) =>
        this with
        {
            Identity = identity ? Identity : null,
            Identifiers = identity ? Identifiers : null,
            Address = address ? Address : null,
            Income = income ? Income : null,
        };

    /// <summary>The profile of a golden person; a retired id answers with the record that took it over. Null when unknown or withdrawn.</summary>
    public static async Task<PersonProfile?> FindAsync(NpgsqlConnection connection, long id, CancellationToken cancellationToken = default)
    {
        var requested = id;
        for (var hops = 0; hops < 50; hops++)
        {
            var row = await connection.QuerySingleOrDefaultAsync<Row?>(new CommandDefinition("""
                select g.id as Id, g.status as Status, g.successor_id as SuccessorId, g.version as Version, g.updated_at as UpdatedAt,
                       g.attributes::text as Attributes,
                       (select coalesce(json_agg(json_build_object('kind', i.kind, 'value', i.value, 'agencies', i.agencies) order by i.kind, i.value), '[]')
                        from golden_identifier i where i.golden_id = g.id)::text as Identifiers,
                       (select m.household_id from golden_household_member m where m.golden_id = g.id) as HouseholdId
                from golden_person g where g.id = @id
                """, new { id }, cancellationToken: cancellationToken));
            switch (row)
            {
                case { Status: "retired", SuccessorId: { } next }:
                    id = next;
                    continue;
                case { Status: "active" } r:
                    return await FromAsync(connection, r, requested == id ? null : requested, cancellationToken);
                default:
                    return null;
            }
        }
        return null;
    }

    /// <summary>Active golden persons holding an identifier (any kind unless one is named), e.g. an old IC or an army number.</summary>
    public static async Task<List<long>> LookupAsync(NpgsqlConnection connection, string value, string? kind, CancellationToken cancellationToken = default)
    {
        var normalised = Normalise(value);
        var ids = await connection.QueryAsync<long>(new CommandDefinition("""
            select distinct i.golden_id from golden_identifier i join golden_person g on g.id = i.golden_id and g.status = 'active'
            where i.value = @normalised and (@kind::text is null or i.kind = @kind) order by 1
            """, new { normalised, kind = kind?.Trim().ToUpperInvariant() }, cancellationToken: cancellationToken));
        return ids.AsList();
    }

    /// <summary>Identifiers are stored without dashes or spaces, upper case: 900101-14-5678 and 900101145678 are one.</summary>
    public static string Normalise(string value) => new string(value.Where(char.IsAsciiLetterOrDigit).ToArray()).ToUpperInvariant();

    sealed record Row(long Id, string Status, long? SuccessorId, int Version, DateTime UpdatedAt, string Attributes, string Identifiers, long? HouseholdId);

    static async Task<PersonProfile> FromAsync(NpgsqlConnection connection, Row row, long? redirectedFrom, CancellationToken cancellationToken)
    {
        var lineage = JsonSerializer.Deserialize(row.Attributes, ProfileJson.Default.DictionaryStringAttributeLineage) ?? [];
        var dates = await ExtractDates.ForAsync(connection, lineage.Values.Select(l => l.ExtractId), cancellationToken);
        Dictionary<string, ProfileAttribute> Group(string[] names) => names.Where(lineage.ContainsKey)
            .ToDictionary(n => n, n => ProfileAttribute.Of(lineage[n], dates));
        return new PersonProfile(row.Id, redirectedFrom, row.Version, DateTime.SpecifyKind(row.UpdatedAt, DateTimeKind.Utc), row.HouseholdId,
            Group(IdentityAttributes), JsonSerializer.Deserialize(row.Identifiers, ProfileJson.Default.ListProfileIdentifier) ?? [], Group(AddressAttributes),
            Group(IncomeAttributes));
    }
}
