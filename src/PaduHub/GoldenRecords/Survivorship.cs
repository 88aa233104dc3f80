using System.Globalization;
using PaduHub.Ingestion;

namespace PaduHub.GoldenRecords;

/// <summary>
/// Which source value a golden record shows for each attribute. The agency whose contract names it authoritative
/// for the attribute wins (the registration department for name, date of birth, IC; the pension fund for employer and
/// monthly income; the tax board for annual income); without one, the most recently changed value wins (address,
/// phone). Ties go to the lower source record id so the choice is the same on every run.
/// </summary>
public static class Survivorship
{
    static readonly (string Attribute, Func<SourcePerson, string?> Value)[] s_attributes =
    [
        ("mykad", p => p.IdKind == "MYKAD" ? p.IdNumber : null),
        ("full_name", p => p.FullName),
        ("date_of_birth", p => p.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ("sex", p => p.Sex),
        ("citizenship", p => p.Citizenship),
        ("marital_status", p => p.MaritalStatus),
        ("death_date", p => p.DeathDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ("address", p => p.Address),
        ("postcode", p => p.Postcode),
        ("town", p => p.Town),
        ("district", p => p.District),
        ("state", p => p.State),
        ("phone", p => p.Phone),
        ("monthly_income", p => p.MonthlyIncome?.ToString(CultureInfo.InvariantCulture)),
        ("annual_income", p => p.AnnualIncome?.ToString(CultureInfo.InvariantCulture)),
        ("employer", p => p.Employer),
    ];

    /// <summary>Contract fields an attribute answers to when checking authority (the MyKad is id_number).</summary>
    static string Field(string attribute) => attribute == "mykad" ? "id_number" : attribute;

    public static SortedDictionary<string, AttributeLineage> Survive(IEnumerable<SourcePerson> members, AgencyContracts contracts)
    {
        var attributes = new SortedDictionary<string, AttributeLineage>(StringComparer.Ordinal);
        var list = members.ToList();
        foreach (var (attribute, value) in s_attributes)
        {
            SourcePerson? best = null;
            var bestAuthoritative = false;
            string? bestValue = null;
            foreach (var p in list)
            {
                if (value(p) is not { Length: > 0 } v)
                {
                    continue;
                }
                var authoritative = IsAuthoritative(contracts, p.AgencyCode, Field(attribute));
                if (best is null || (authoritative, p.ChangedAt, -p.Id).CompareTo((bestAuthoritative, best.ChangedAt, -best.Id)) > 0)
                {
                    best = p;
                    bestAuthoritative = authoritative;
                    bestValue = v;
                }
            }
            if (best is not null)
            {
                attributes[attribute] = new AttributeLineage(bestValue!, best.AgencyCode, best.Id, best.VersionId, best.ExtractId,
                    DateTime.SpecifyKind(best.ChangedAt, DateTimeKind.Utc), bestAuthoritative);
            }
        }
        return attributes;
    }

    static bool IsAuthoritative(AgencyContracts contracts, string agency, string field)
    {
        try
        {
            return contracts.For(agency).AuthoritativeFor.Contains(field);
        }
        catch (UnknownAgencyException)
        {
            return false; // an agency whose contract was removed still has records, but no authority
        }
    }
}
