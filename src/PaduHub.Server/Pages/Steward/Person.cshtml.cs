using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using PaduHub.Access;
using PaduHub.Database;
using PaduHub.GoldenRecords;
using PaduHub.Households;
using PaduHub.Server.Api;
using PaduHub.Stewardship;

namespace PaduHub.Server.Pages.Steward;

/// <summary>A golden person: each attribute and where it came from, the source records behind it (to split), steward
/// corrections, its history, and what stewards did to it.</summary>
public sealed class PersonModel(PaduDatabase database, AccessAudit audit) : StewardPage(database, audit)
{
    public sealed record Member(long Id, string Agency, string? IdNumber, string? FullName, DateOnly? DateOfBirth, string? Postcode, DateTime Since);
    public sealed record Correction(long Id, string Attribute, string Value, string? Agency, string Steward, string Reason, DateTime CreatedAt,
        DateTime? EndedAt, string? EndedWhy);
    public sealed record Version(int Number, DateTime ChangedAt, string Change, int Members);
    public sealed record Action(DateTime At, string Steward, string What, string Reason);

    public long Id { get; private set; }
    public string Status { get; private set; } = "";
    public long? SuccessorId { get; private set; }
    public int CurrentVersion { get; private set; }
    public long? HouseholdId { get; private set; }
    public SortedDictionary<string, AttributeLineage> Attributes { get; private set; } = [];
    public List<Member> Members { get; private set; } = [];
    public List<Correction> Corrections { get; private set; } = [];
    public List<Version> History { get; private set; } = [];
    public List<Action> Actions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id)
    {
        Id = id;
        await using var connection = Connect();
        var person = await connection.QuerySingleOrDefaultAsync<(string Status, long? Successor, int Version, string Attributes)?>(
            "select status, successor_id, version, attributes::text from golden_person where id = @id", new { id });
        if (person is not { } p)
        {
            await AuditAsync("GET /steward/person/{id}", PersonEndpoints.Subject("person", id), null, 404);
            return NotFound();
        }
        (Status, SuccessorId, CurrentVersion) = (p.Status, p.Successor, p.Version);
        Attributes = JsonSerializer.Deserialize<SortedDictionary<string, AttributeLineage>>(p.Attributes) ?? [];
        HouseholdId = await HouseholdProfile.OfPersonAsync(connection, id);
        Members = (await connection.QueryAsync<Member>("""
            select r.id, r.agency_code as agency, v.id_number as IdNumber, v.full_name as FullName, v.date_of_birth as DateOfBirth, v.postcode, m.since
            from golden_member m join source_record r on r.id = m.source_record_id join source_record_version v on v.id = r.current_version_id
            where m.golden_id = @id order by r.agency_code, r.id
            """, new { id })).AsList();
        Corrections = (await connection.QueryAsync<Correction>("""
            select id, attribute, value, agency, steward, reason, created_at as CreatedAt, ended_at as EndedAt, ended_why as EndedWhy from golden_correction
            where golden_id = @id order by ended_at is not null, id desc
            """, new { id })).AsList();
        History = (await connection.QueryAsync<Version>("""
            select version as number, changed_at as ChangedAt, change, cardinality(members) as members from golden_person_history where golden_id = @id order by version desc limit 50
            """, new { id })).AsList();
        Actions = (await connection.QueryAsync<Action>("""
            select at, steward, action || coalesce(' (' || (detail->>'attribute') || ')', '') || coalesce(' records ' || source_a || ' and ' || source_b, '') as what, reason
            from steward_action
            where golden_id = @id
               or source_a in (select source_record_id from golden_member where golden_id = @id)
               or source_b in (select source_record_id from golden_member where golden_id = @id)
            order by at desc limit 50
            """, new { id })).AsList();
        await AuditAsync("GET /steward/person/{id}", PersonEndpoints.Subject("person", id), ["identity", "address", "income"]);
        return Page();
    }

    public Task<IActionResult> OnPostSplitAsync(long id, long[]? leaving, string? reason, [FromServices] PersonMatching matching,
        [FromServices] GoldenHouseholds households) =>
        ActAsync("POST /steward/person/{id}/split", PersonEndpoints.Subject("person", id), async connection =>
        {
            await ReviewQueue.SplitAsync(connection, id, leaving ?? [], StewardName, reason ?? "", HttpContext.RequestAborted);
            await ReviewEndpoints.ApplyAtOnceAsync(matching, households, HttpContext.RequestAborted);
            var now = (await connection.QueryAsync<long>("select distinct golden_id from golden_member where source_record_id = any(@leaving)", new { leaving })).AsList();
            LinkPeople(now);
            return $"Split: record(s) {string.Join(", ", leaving ?? [])} left and are now in golden person {string.Join(", ", now)}.";
        }, () => RedirectToPage(new { id }));

    public Task<IActionResult> OnPostCorrectAsync(long id, string? attribute, string? value, string? reason, [FromServices] PersonMatching matching,
        [FromServices] GoldenHouseholds households) =>
        ActAsync("POST /steward/person/{id}/correction", PersonEndpoints.Subject("person", id), async connection =>
        {
            var correction = await AttributeCorrections.CorrectAsync(connection, id, attribute ?? "", value, StewardName, reason ?? "", HttpContext.RequestAborted);
            await ReviewEndpoints.ApplyAtOnceAsync(matching, households, HttpContext.RequestAborted);
            await LinkHouseholdAsync(connection, id);
            return $"Correction {correction} to {attribute?.Replace('_', ' ')} is in force until the agency sends a new value.";
        }, () => RedirectToPage(new { id }));

    public Task<IActionResult> OnPostWithdrawAsync(long id, long correction, string? reason, [FromServices] PersonMatching matching,
        [FromServices] GoldenHouseholds households) =>
        ActAsync("POST /steward/person/{id}/correction/withdraw", PersonEndpoints.Subject("person", id), async connection =>
        {
            await AttributeCorrections.WithdrawAsync(connection, correction, StewardName, reason ?? "", HttpContext.RequestAborted);
            await ReviewEndpoints.ApplyAtOnceAsync(matching, households, HttpContext.RequestAborted);
            await LinkHouseholdAsync(connection, id);
            return $"Correction {correction} withdrawn: the agencies' value shows again.";
        }, () => RedirectToPage(new { id }));

    /// <summary>A correction can change what a household is paid: its page, with the eligibility answers, is linked.</summary>
    async Task LinkHouseholdAsync(Npgsql.NpgsqlConnection connection, long id)
    {
        if (await HouseholdProfile.OfPersonAsync(connection, id, HttpContext.RequestAborted) is { } household)
        {
            LinkResult($"/steward/household/{household}", $"household {household} and its eligibility");
        }
    }
}
