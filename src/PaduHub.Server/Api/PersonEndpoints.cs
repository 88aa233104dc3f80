using System.Globalization;
using PaduHub.Database;
using PaduHub.GoldenRecords;
using PaduHub.Households;

namespace PaduHub.Server.Api;

/// <summary>Who is this person, and who lives with them: golden persons and households for policy systems.</summary>
static class PersonEndpoints
{
    /// <summary>An identifier to look a person up by; kind narrows it to one document kind.</summary>
    [System.ComponentModel.Description("An identifier (3 to 40 letters or digits; dashes and spaces are ignored) and, optionally, its kind: MYKAD, MYPR, OLD_IC, ARMY, POLICE, PASSPORT, BIRTH_CERT, OTHER.")]
    public sealed record LookupRequest(
        [property: System.Text.Json.Serialization.JsonPropertyName("identifier")] string? Identifier = null,
        [property: System.Text.Json.Serialization.JsonPropertyName("kind")] string? Kind = null);

    public sealed record LookupAnswer([property: System.Text.Json.Serialization.JsonPropertyName("matches")] IReadOnlyList<PersonProfile> Matches);

    public static void MapPersons(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Persons and households");
        api.MapGet("/persons/{id:long}", Person).WithName("GetPerson")
            .WithSummary("A golden person by id; a retired (merged) id answers with its successor and says so in redirected_from.")
            .WithDescription("Identity and identifiers need `profile:read`; the address groups `profile:address`, income `profile:income`.")
            .GivesPersonalData().Produces<PersonProfile>().Problems(404);
        api.MapPost("/persons/lookup", Lookup).WithName("LookupPerson")
            .WithSummary("Golden persons holding an identifier (MyKad, old IC, army or police number, passport...), sent in the body, never in the URL.")
            .WithDescription("Usually one match; two when agencies disagree about who holds the identifier (a question for a steward).")
            .GivesPersonalData().Produces<LookupAnswer>().Problems(404);
        api.MapGet("/persons/{id:long}/household", PersonHousehold).WithName("GetPersonHousehold").WithSummary("The household a person lives in.")
            .GivesPersonalData().Produces<HouseholdProfile>().Problems(404);
        api.MapGet("/households/{id:long}", Household).WithName("GetHousehold")
            .WithSummary("A golden household by id; a retired id answers with its successor.")
            .WithDescription("Members and roles need `household:read`; the address `profile:address`, the income `profile:income`.")
            .GivesPersonalData().Produces<HouseholdProfile>().Problems(404);
    }

    const string PersonAction = "GET /api/v1/persons/{id}";
    const string LookupAction = "POST /api/v1/persons/lookup";
    const string PersonHouseholdAction = "GET /api/v1/persons/{id}/household";
    const string HouseholdAction = "GET /api/v1/households/{id}";

    static async Task<IResult> Person(long id, HttpContext http, ApiGate gate, PaduDatabase database, CancellationToken cancellationToken)
    {
        var subject = Subject("person", id);
        var (admitted, refusal) = await gate.AdmitAsync(http, PersonAction, "profile:read", subject);
        if (admitted is null)
        {
            return refusal!;
        }
        var profile = await database.LookUpAsync(connection => PersonProfile.FindAsync(connection, id, cancellationToken));
        if (profile is null)
        {
            await gate.AuditAsync(admitted, PersonAction, subject, null, 404);
            return ApiGate.Problem(404, "No such person", $"There is no golden person {id}.");
        }
        return await Serve(gate, admitted, PersonAction, profile);
    }

    static async Task<IResult> Lookup(LookupRequest? request, HttpContext http, ApiGate gate, PaduDatabase database, CancellationToken cancellationToken)
    {
        var (admitted, refusal) = await gate.AdmitAsync(http, LookupAction, "profile:read", null);
        if (admitted is null)
        {
            return refusal!;
        }
        if (request?.Identifier is not { } identifier || PersonProfile.Normalise(identifier) is not { Length: >= 3 and <= 40 })
        {
            await gate.AuditAsync(admitted, LookupAction, null, null, 400);
            return ApiGate.Problem(400, "Identifier needed", "Send {\"identifier\": \"...\"} (3 to 40 letters or digits), and optionally \"kind\" (MYKAD, OLD_IC, ARMY, POLICE, PASSPORT...).");
        }
        var profiles = await database.LookUpAsync(async connection =>
        {
            var found = new List<PersonProfile>();
            foreach (var id in await PersonProfile.LookupAsync(connection, identifier, request.Kind, cancellationToken))
            {
                if (await PersonProfile.FindAsync(connection, id, cancellationToken) is { } profile)
                {
                    found.Add(View(admitted, profile));
                }
            }
            return found;
        });
        if (profiles.Count == 0)
        {
            await gate.AuditAsync(admitted, LookupAction, null, ["lookup"], 404);
            return ApiGate.Problem(404, "No such person", "No golden person holds that identifier.");
        }
        await gate.AuditManyAsync(profiles.Select(p => new PaduHub.Access.AuditEntry(admitted.Client.Id, admitted.Client.Name, admitted.Purpose, LookupAction,
            Subject("person", p.Id), Fields(admitted), 200)).ToList());
        // Usually one; two when agencies disagree about who holds the identifier (a steward's question).
        return Results.Ok(new LookupAnswer(profiles));
    }

    static async Task<IResult> PersonHousehold(long id, HttpContext http, ApiGate gate, PaduDatabase database, CancellationToken cancellationToken)
    {
        var subject = Subject("person", id);
        var (admitted, refusal) = await gate.AdmitAsync(http, PersonHouseholdAction, "household:read", subject);
        if (admitted is null)
        {
            return refusal!;
        }
        var (person, profile) = await database.LookUpAsync(async connection =>
        {
            var person = await PaduHub.Eligibility.Facts.GoldenPersonFollowing(connection, id, cancellationToken);
            var household = person.Id is { } current ? await HouseholdProfile.OfPersonAsync(connection, current, cancellationToken) : null;
            return (person, household is { } h ? await HouseholdProfile.FindAsync(connection, h, cancellationToken) : null);
        });
        if (profile is null)
        {
            await gate.AuditAsync(admitted, PersonHouseholdAction, subject, null, 404);
            return ApiGate.Problem(404, "No household", person.Id is null ? $"There is no golden person {id}." : $"Golden person {id} is in no household.");
        }
        return await ServeHousehold(gate, admitted, PersonHouseholdAction, profile);
    }

    static async Task<IResult> Household(long id, HttpContext http, ApiGate gate, PaduDatabase database, CancellationToken cancellationToken)
    {
        var subject = Subject("household", id);
        var (admitted, refusal) = await gate.AdmitAsync(http, HouseholdAction, "household:read", subject);
        if (admitted is null)
        {
            return refusal!;
        }
        var profile = await database.LookUpAsync(connection => HouseholdProfile.FindAsync(connection, id, cancellationToken));
        if (profile is null)
        {
            await gate.AuditAsync(admitted, HouseholdAction, subject, null, 404);
            return ApiGate.Problem(404, "No such household", $"There is no golden household {id}.");
        }
        return await ServeHousehold(gate, admitted, HouseholdAction, profile);
    }

    static async Task<IResult> Serve(ApiGate gate, Admitted admitted, string action, PersonProfile profile)
    {
        var view = View(admitted, profile);
        await gate.AuditAsync(admitted, action, Subject("person", profile.Id), Fields(admitted), 200);
        return Results.Ok(view);
    }

    static async Task<IResult> ServeHousehold(ApiGate gate, Admitted admitted, string action, HouseholdProfile profile)
    {
        var (address, income) = (admitted.Client.Has("profile:address"), admitted.Client.Has("profile:income"));
        string[] fields = ["members", .. address ? new[] { "address" } : [], .. income ? new[] { "income" } : []];
        await gate.AuditAsync(admitted, action, Subject("household", profile.Id), fields, 200);
        return Results.Ok(profile.View(address, income));
    }

    static PersonProfile View(Admitted admitted, PersonProfile profile) =>
        profile.View(identity: true, address: admitted.Client.Has("profile:address"), income: admitted.Client.Has("profile:income"));

    static string[] Fields(Admitted admitted) =>
        ["identity", "identifiers", .. admitted.Client.Has("profile:address") ? new[] { "address" } : [], .. admitted.Client.Has("profile:income") ? new[] { "income" } : []];

    public static string Subject(string kind, long id) => string.Create(CultureInfo.InvariantCulture, $"{kind}:{id}");
}
