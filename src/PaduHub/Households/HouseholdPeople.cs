using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace PaduHub.Households;

/// <summary>Reads what household formation needs about the golden persons in scope (every one when there is no scope).</summary>
static class HouseholdPeople
{
    /// <summary>Living golden persons with their family links, welfare memberships, incomes and golden addresses.</summary>
    public static async Task<(List<HouseholdPerson> People, Dictionary<long, IncomeEvidence> Income, Dictionary<long, JsonElement> Addresses)> LoadAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, long[]? scope, CancellationToken cancellationToken)
    {
        var (people, addresses) = await ReadGoldenPersonsAsync(connection, tx, scope, cancellationToken);
        var income = await ReadSourceEvidenceAsync(connection, tx, scope, people, cancellationToken);
        foreach (var (id, evidence) in income)
        {
            people[id].MonthlyIncome = evidence.Choose(id).Monthly;
        }
        return (people.Values.OrderBy(p => p.GoldenId).ToList(), income, addresses);
    }

    /// <summary>The golden persons in scope, with the golden address of each that has one.</summary>
    static async Task<(Dictionary<long, HouseholdPerson> People, Dictionary<long, JsonElement> Addresses)> ReadGoldenPersonsAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, long[]? scope, CancellationToken cancellationToken)
    {
        var people = new Dictionary<long, HouseholdPerson>();
        var addresses = new Dictionary<long, JsonElement>();
        await using (var command = new NpgsqlCommand("""
            select id, mykad, date_of_birth, attributes ? 'death_date', coalesce((attributes->'mykad'->>'verified')::bool, false),
                   jsonb_build_object('address', attributes->'address', 'postcode', attributes->'postcode', 'town', attributes->'town',
                                      'district', attributes->'district', 'state', attributes->'state')::text
            from golden_person where status = 'active' and (@scope::bigint[] is null or id = any(@scope))
            """, connection, tx) { Parameters = { new NpgsqlParameter<long[]?>("scope", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = scope } } })
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetInt64(0);
                using var document = JsonDocument.Parse(reader.GetString(5));
                var address = document.RootElement.Clone();
                string? Value(string name) => address.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Object ? p.GetProperty("value").GetString() : null;
                people[id] = new HouseholdPerson
                {
                    GoldenId = id,
                    MyKad = reader.IsDBNull(1) ? null : reader.GetString(1),
                    DateOfBirth = reader.IsDBNull(2) ? null : reader.GetFieldValue<DateOnly>(2),
                    Deceased = reader.GetBoolean(3),
                    MyKadVerified = reader.GetBoolean(4),
                    AddressKey = HouseholdScope.AddressKey(Value("address"), Value("postcode")),
                };
                if (Value("address") is not null)
                {
                    addresses[id] = address;
                }
            }
        }
        return (people, addresses);
    }

    /// <summary>
    /// What the people's source records say about their households: welfare references, spouse and parents, and income
    /// (pension-fund wage, tax assessment, declared), later rows over earlier ones.
    /// </summary>
    static async Task<Dictionary<long, IncomeEvidence>> ReadSourceEvidenceAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long[]? scope,
        Dictionary<long, HouseholdPerson> people, CancellationToken cancellationToken)
    {
        var income = new Dictionary<long, IncomeEvidence>();
        await using (var command = new NpgsqlCommand("""
            select m.golden_id, r.id, r.agency_code, r.changed_at, v.household_ref, v.relationship,
                   v.spouse_id_number, v.father_id_number, v.mother_id_number,
                   v.monthly_income, v.extra->>'last_contribution_month',
                   coalesce(v.annual_income, 0) + coalesce(v.other_income, 0), v.annual_income is not null or v.other_income is not null,
                   v.extra->>'assessment_year', v.extra->>'declared_monthly_income'
            from golden_member m
            join source_record r on r.id = m.source_record_id
            join source_record_version v on v.id = r.current_version_id
            where r.status = 'active' and (@scope::bigint[] is null or m.golden_id = any(@scope))
              and (v.household_ref is not null or v.spouse_id_number is not null or v.father_id_number is not null or v.mother_id_number is not null
                   or v.monthly_income is not null or v.annual_income is not null or v.other_income is not null or v.extra ? 'declared_monthly_income')
            order by r.agency_code = 'JPN', r.changed_at, r.id
            """, connection, tx) { Parameters = { new NpgsqlParameter<long[]?>("scope", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = scope } } })
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!people.TryGetValue(reader.GetInt64(0), out var person))
                {
                    continue;
                }
                var sourceId = reader.GetInt64(1);
                string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                if (Text(4) is { } reference)
                {
                    person.Welfare.Add((reference, Text(5)));
                }
                // Later rows win; the registration department's rows come last.
                person.SpouseMyKad = Text(6) ?? person.SpouseMyKad;
                person.FatherMyKad = Text(7) ?? person.FatherMyKad;
                person.MotherMyKad = Text(8) ?? person.MotherMyKad;
                var evidence = income.TryGetValue(person.GoldenId, out var e) ? e : income[person.GoldenId] = new IncomeEvidence();
                if (!reader.IsDBNull(9))
                {
                    evidence.PensionWage = (reader.GetDecimal(9), Text(10) ?? "", sourceId);
                }
                if (reader.GetBoolean(12))
                {
                    evidence.TaxAssessed = (reader.GetDecimal(11), Text(13) ?? "", sourceId);
                }
                if (Text(14) is { } declared && decimal.TryParse(declared, System.Globalization.CultureInfo.InvariantCulture, out var monthly))
                {
                    evidence.Declared = (monthly, reader.GetDateTime(3), sourceId);
                }
            }
        }
        return income;
    }
}
