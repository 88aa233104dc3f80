using System.Globalization;
using Dapper;
using Npgsql;

namespace PaduHub.GoldenRecords;

/// <summary>
/// How steward corrections meet survivorship. A correction stands over the survived value until the agency changes
/// its value: if survivorship now picks a value other than the one the steward corrected, the agency has spoken again
/// and the correction lapses. A correction follows its person through a merge; when a merge brings two corrections of
/// one attribute together the newer stands.
/// </summary>
public static class GoldenCorrections
{
    /// <summary>The attributes a steward may correct, and what a value must look like. The MyKad is not among them: a
    /// wrong identity is a merge or a split, not an edit.</summary>
    public static readonly IReadOnlyDictionary<string, string> Correctable = new Dictionary<string, string>
    {
        ["full_name"] = "the name as on the MyKad",
        ["date_of_birth"] = "a date, yyyy-mm-dd",
        ["sex"] = "M or F",
        ["citizenship"] = "CITIZEN, PERMANENT_RESIDENT or NON_CITIZEN",
        ["marital_status"] = "SINGLE, MARRIED, DIVORCED or WIDOWED",
        ["death_date"] = "a date, yyyy-mm-dd",
        ["address"] = "the street address",
        ["postcode"] = "5 digits",
        ["town"] = "a town",
        ["district"] = "a district",
        ["state"] = "a state",
        ["phone"] = "7 to 15 digits",
        ["monthly_income"] = "ringgit a month, e.g. 2450.00",
        ["annual_income"] = "ringgit a year, e.g. 29400.00",
        ["employer"] = "the employer's name",
    };

    /// <summary>The value as stored, or why it cannot be.</summary>
    public static string Clean(string attribute, string? raw)
    {
        if (!Correctable.TryGetValue(attribute, out var expected))
        {
            throw new ArgumentException(attribute == "mykad"
                ? "the MyKad cannot be corrected: split the record or merge it with the right person instead"
                : $"'{Shorten(attribute)}' is not an attribute a steward can correct (one of {string.Join(", ", Correctable.Keys)})", nameof(attribute));
        }
        var value = (raw ?? "").Trim();
        if (value.Length is 0 or > 200 || value.Any(char.IsControl))
        {
            throw new ArgumentException($"{attribute} must be 1 to 200 printable characters: {expected}", nameof(raw));
        }
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        string? clean = attribute switch
        {
            "date_of_birth" or "death_date" => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                && d >= new DateOnly(1900, 1, 1) && d <= today ? value : null,
            "sex" => value.ToUpperInvariant() is "M" or "F" ? value.ToUpperInvariant() : null,
            "citizenship" => value.ToUpperInvariant() is "CITIZEN" or "PERMANENT_RESIDENT" or "NON_CITIZEN" ? value.ToUpperInvariant() : null,
            "marital_status" => value.ToUpperInvariant() is "SINGLE" or "MARRIED" or "DIVORCED" or "WIDOWED" ? value.ToUpperInvariant() : null,
            "postcode" => value.Length == 5 && value.All(char.IsAsciiDigit) ? value : null,
            "phone" => new string(value.Where(char.IsAsciiDigit).ToArray()) is { Length: >= 7 and <= 15 } digits ? digits : null,
            "monthly_income" or "annual_income" => decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var m)
                && m < 1_000_000_000m ? m.ToString(CultureInfo.InvariantCulture) : null,
            _ => value.ToUpperInvariant(),
        };
        return clean ?? throw new ArgumentException($"{attribute} must be {expected}", nameof(raw));
    }

    static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";

    /// <summary>Corrections in force for the golden ids given (every one when <paramref name="goldenIds"/> is null).</summary>
    public static async Task<List<GoldenCorrection>> InForceAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long[]? goldenIds) =>
        (await connection.QueryAsync<GoldenCorrection>($"""
            select id, golden_id as GoldenId, attribute, value, agency_value as AgencyValue, agency, steward, reason, created_at as CreatedAt from golden_correction
            where ended_at is null {(goldenIds is null ? "" : "and golden_id = any(@goldenIds)")} order by id
            """, new { goldenIds }, tx)).AsList();

    /// <summary>
    /// Lays the corrections for one golden person over its survived attributes. Returns the corrections that lapsed
    /// (the agency sent a different value) or were outranked (a newer correction of the same attribute), with why.
    /// </summary>
    public static List<(GoldenCorrection Correction, string Why)> Apply(SortedDictionary<string, AttributeLineage> attributes,
        IEnumerable<GoldenCorrection> corrections)
    {
        var ended = new List<(GoldenCorrection, string)>();
        foreach (var group in corrections.GroupBy(c => c.Attribute))
        {
            var newestFirst = group.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).ToList();
            var standing = newestFirst[0];
            ended.AddRange(newestFirst.Skip(1).Select(c => (c, $"replaced by correction {standing.Id} when two records were merged")));
            var survived = attributes.GetValueOrDefault(standing.Attribute);
            if (survived?.Value != standing.AgencyValue)
            {
                ended.Add((standing, $"{survived?.Agency ?? "the agencies"} changed the value after the correction"));
                continue;
            }
            attributes[standing.Attribute] = new AttributeLineage(standing.Value, "STEWARD", 0, 0, 0,
                DateTime.SpecifyKind(standing.CreatedAt, DateTimeKind.Utc), true)
            {
                CorrectionId = standing.Id,
                CorrectedBy = standing.Steward,
                Replaces = survived is null ? null : $"{survived.Agency} record {survived.SourceRecordId}",
            };
        }
        return ended;
    }
}
