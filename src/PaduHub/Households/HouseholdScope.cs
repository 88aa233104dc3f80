using Dapper;
using Npgsql;
using PaduHub.Matching;

namespace PaduHub.Households;

/// <summary>Which people a scoped household run forms again, and the quarters key that joins people living together.</summary>
static class HouseholdScope
{
    /// <summary>Only a numbered unit is one set of living quarters; a bare village or street name holds many.</summary>
    public static string? AddressKey(string? address, string? postcode)
    {
        var normalised = AddressNormaliser.Normalise(address, postcode);
        return normalised.Unit is { Length: > 0 } unit && normalised.Postcode is { } p ? $"{unit}|{normalised.Street}|{p}" : null;
    }

    /// <summary>
    /// The people whose households must be formed again with <paramref name="seeds"/>: everyone the evidence could join
    /// to them, widened round by round until nothing more joins. Null (form everything) if it has not settled after
    /// a dozen rounds, which only a chain of links through a whole town would cause.
    /// </summary>
    public static async Task<long[]?> WidenAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long[] seeds, CancellationToken cancellationToken)
    {
        var scope = seeds.ToHashSet();
        var frontier = seeds;
        for (var round = 0; frontier.Length > 0; round++)
        {
            if (round == 12)
            {
                return null;
            }
            var keys = (await connection.QueryAsync<(string? Address, string? Postcode)>(new CommandDefinition("""
                select attributes->'address'->>'value', attributes->'postcode'->>'value' from golden_person where id = any(@frontier) and status = 'active'
                """, new { frontier }, tx, cancellationToken: cancellationToken)))
                .Select(a => AddressKey(a.Address, a.Postcode)).OfType<string>().Distinct().ToArray();
            var joined = await connection.QueryAsync<long>(new CommandDefinition("""
                -- everyone in their households now
                select m2.golden_id from golden_household_member m1 join golden_household_member m2 on m2.household_id = m1.household_id
                where m1.golden_id = any(@frontier)
                union
                -- everyone on the same welfare household reference
                select m2.golden_id from golden_member m1
                join source_record r1 on r1.id = m1.source_record_id join source_record_version v1 on v1.id = r1.current_version_id
                join source_record_version v2 on v2.household_ref = v1.household_ref
                join source_record r2 on r2.id = v2.source_record_id and r2.current_version_id = v2.id and r2.status = 'active'
                join golden_member m2 on m2.source_record_id = r2.id
                where m1.golden_id = any(@frontier) and r1.status = 'active' and v1.household_ref is not null
                union
                -- everyone whose registration record names one of them as spouse or parent
                select m2.golden_id from golden_person g
                join source_record_version v2 on v2.spouse_id_number = g.mykad
                join source_record r2 on r2.id = v2.source_record_id and r2.current_version_id = v2.id and r2.status = 'active' join golden_member m2 on m2.source_record_id = r2.id
                where g.id = any(@frontier) and g.mykad is not null
                union
                select m2.golden_id from golden_person g
                join source_record_version v2 on v2.father_id_number = g.mykad
                join source_record r2 on r2.id = v2.source_record_id and r2.current_version_id = v2.id and r2.status = 'active' join golden_member m2 on m2.source_record_id = r2.id
                where g.id = any(@frontier) and g.mykad is not null
                union
                select m2.golden_id from golden_person g
                join source_record_version v2 on v2.mother_id_number = g.mykad
                join source_record r2 on r2.id = v2.source_record_id and r2.current_version_id = v2.id and r2.status = 'active' join golden_member m2 on m2.source_record_id = r2.id
                where g.id = any(@frontier) and g.mykad is not null
                union
                -- everyone their own records name
                select g2.id from golden_member m1
                join source_record r1 on r1.id = m1.source_record_id join source_record_version v1 on v1.id = r1.current_version_id
                join golden_person g2 on g2.mykad in (v1.spouse_id_number, v1.father_id_number, v1.mother_id_number) and g2.status = 'active'
                where m1.golden_id = any(@frontier) and r1.status = 'active'
                union
                -- everyone formed at the same quarters
                select golden_id from golden_household_member where address_key = any(@keys)
                """, new { frontier, keys }, tx, cancellationToken: cancellationToken));
            frontier = joined.Where(scope.Add).ToArray();
        }
        return scope.Order().ToArray();
    }
}
