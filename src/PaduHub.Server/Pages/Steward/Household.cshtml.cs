using Dapper;
using Microsoft.AspNetCore.Mvc;
using PaduHub.Access;
using PaduHub.Database;
using PaduHub.Eligibility;
using PaduHub.Households;
using PaduHub.Server.Api;

namespace PaduHub.Server.Pages.Steward;

/// <summary>A golden household: members and roles, address, income with its sources, and how each programme answers
/// for it today (person programmes for its head), rule by rule.</summary>
public sealed class HouseholdModel(PaduDatabase database, AccessAudit audit) : StewardPage(database, audit)
{
    public sealed record Member(long Id, string Role, string? FullName, DateOnly? DateOfBirth, string? Citizenship, bool Dead);

    public HouseholdProfile? Household { get; private set; }
    public List<Member> Members { get; private set; } = [];
    public List<EligibilityAnswer> Answers { get; } = [];

    public async Task<IActionResult> OnGetAsync(long id, [FromServices] Programmes programmes)
    {
        await using var connection = Connect();
        Household = await HouseholdProfile.FindAsync(connection, id, HttpContext.RequestAborted);
        if (Household is null)
        {
            await AuditAsync("GET /steward/household/{id}", PersonEndpoints.Subject("household", id), null, 404);
            return NotFound();
        }
        Members = (await connection.QueryAsync<Member>("""
            select g.id, m.role, g.full_name as FullName, g.date_of_birth as DateOfBirth, g.attributes->'citizenship'->>'value' as citizenship, g.attributes ? 'death_date' as dead
            from golden_household_member m join golden_person g on g.id = m.golden_id
            where m.household_id = @id order by m.role <> 'head', g.date_of_birth
            """, new { id = Household.Id })).AsList();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var household = await Facts.ForHouseholdAsync(connection, Household.Id, today, HttpContext.RequestAborted);
        var head = Household.HeadId is { } h ? await Facts.ForPersonAsync(connection, h, today, HttpContext.RequestAborted) : null;
        foreach (var programme in programmes.All)
        {
            if ((programme.Subject == "household" ? household : head) is { } facts)
            {
                Answers.Add(EligibilityCheck.Evaluate(programme, facts, DateTime.UtcNow));
            }
        }
        await AuditAsync("GET /steward/household/{id}", PersonEndpoints.Subject("household", Household.Id), ["household", "address", "income", "eligibility"]);
        return Page();
    }
}
