using Dapper;
using Npgsql;
using PaduHub.GoldenRecords;

namespace PaduHub.Stewardship;

/// <summary>A golden person a steward's search found, and what matched: "MYKAD", "OLD_IC", "source record", "name".</summary>
public sealed record SearchHit(long GoldenId, string? FullName, DateOnly? DateOfBirth, string Status, string How);

/// <summary>
/// The workbench's search: by any identifier the crosswalk holds (MyKad, old IC, army or police number, passport),
/// by source record (its id, or AGENCY:KEY as the agency knows it), or by name (the start of the name or of any word
/// in it). Retired and withdrawn persons are found too, saying so, since a steward looking for one wants to know.
/// </summary>
public static class PersonSearch
{
    public const int MaxHits = 50;

    public static async Task<List<SearchHit>> FindAsync(NpgsqlConnection connection, string query, CancellationToken cancellationToken = default)
    {
        var text = query.Trim();
        if (text.Length is < 2 or > 200)
        {
            return [];
        }
        var hits = new List<SearchHit>();
        var identifier = PersonProfile.Normalise(text);
        if (identifier.Length is >= 3 and <= 40 && identifier.Any(char.IsAsciiDigit))
        {
            hits.AddRange(await connection.QueryAsync<SearchHit>(new CommandDefinition("""
                select g.id as GoldenId, g.full_name as FullName, g.date_of_birth as DateOfBirth, g.status as Status, i.kind as How
                from golden_identifier i join golden_person g on g.id = i.golden_id where i.value = @identifier
                order by g.id limit @max
                """, new { identifier, max = MaxHits }, cancellationToken: cancellationToken)));
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var (agency, key) = colon > 0 ? (text[..colon].Trim().ToUpperInvariant(), text[(colon + 1)..].Trim()) : ((string?)null, text);
        long? recordId = long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
        hits.AddRange(await connection.QueryAsync<SearchHit>(new CommandDefinition("""
            select g.id as GoldenId, g.full_name as FullName, g.date_of_birth as DateOfBirth, g.status as Status,
                   'source record ' || r.agency_code || ':' || r.id as How
            from source_record r join golden_member m on m.source_record_id = r.id join golden_person g on g.id = m.golden_id
            where (@agency::text is not null and r.agency_code = @agency and r.source_key = @key) or r.id = @recordId
            order by g.id limit @max
            """, new { agency, key, recordId, max = MaxHits }, cancellationToken: cancellationToken)));
        if (!text.Any(char.IsAsciiDigit))
        {
            var pattern = text.ToUpperInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
                .Replace("_", "\\_", StringComparison.Ordinal);
            hits.AddRange(await connection.QueryAsync<SearchHit>(new CommandDefinition("""
                select id as GoldenId, full_name as FullName, date_of_birth as DateOfBirth, status as Status, 'name' as How from golden_person
                where upper(full_name) like @pattern || '%' or upper(full_name) like '% ' || @pattern || '%'
                order by status <> 'active', full_name, id limit @max
                """, new { pattern, max = MaxHits }, cancellationToken: cancellationToken, commandTimeout: 60)));
        }
        return hits.DistinctBy(h => h.GoldenId).Take(MaxHits).ToList();
    }
}
