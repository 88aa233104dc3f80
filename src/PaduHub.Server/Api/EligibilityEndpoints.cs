using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using PaduHub.Access;
using PaduHub.Database;
using PaduHub.Eligibility;
using PaduHub.GoldenRecords;

namespace PaduHub.Server.Api;

/// <summary>
/// Is this person or household eligible for programme X, and why. One check answers with every rule; a batch of up
/// to 100,000 ids streams one answer per line (application/x-ndjson) as it goes, a thousand ids per database round trip.
/// </summary>
static class EligibilityEndpoints
{
    public const int MaxBatch = 100_000;
    const int Chunk = 1_000;

    [System.ComponentModel.Description("Exactly one of person_id, household_id or identifier (with kind, optionally, as for a lookup).")]
    public sealed record CheckRequest(
        [property: JsonPropertyName("person_id")] long? PersonId = null,
        [property: JsonPropertyName("household_id")] long? HouseholdId = null,
        [property: JsonPropertyName("identifier")] string? Identifier = null,
        [property: JsonPropertyName("kind")] string? Kind = null);

    [System.ComponentModel.Description("person_ids or household_ids, up to 100,000 in all.")]
    public sealed record BatchRequest(
        [property: JsonPropertyName("person_ids")] long[]? PersonIds = null,
        [property: JsonPropertyName("household_ids")] long[]? HouseholdIds = null);

    public static void MapEligibility(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Eligibility");
        api.MapGet("/programmes", List).WithName("ListProgrammes").WithSummary("The eligibility programmes this hub evaluates, with their rules.")
            .Produces<IEnumerable<Programme>>().ProducesProblem(401).ProducesProblem(403).ProducesProblem(429);
        api.MapPost("/eligibility/{programme}/check", Check).WithName("CheckEligibility")
            .WithSummary("One person or household (by person_id, household_id or an identifier in the body): the decision, tier, amount and every rule.")
            .WithDescription("Needs `eligibility:check`. Each rule says its result, the value it read, and the agency and date that value came from.")
            .GivesPersonalData().Produces<EligibilityAnswer>().Problems(404);
        api.MapPost("/eligibility/{programme}/batch", Batch).WithName("CheckEligibilityBatch")
            .WithSummary("Up to 100,000 person_ids or household_ids; answers stream back one JSON object per line.")
            .WithDescription("The answer is `application/x-ndjson`: one line per id asked for, in the order asked, each a decision or the reason there is none.")
            .GivesPersonalData().Produces<BatchLine>(200, "application/x-ndjson").Problems(404);
    }

    static async Task<IResult> List(HttpContext http, ApiGate gate, Programmes programmes)
    {
        var (admitted, refusal) = await gate.AdmitAsync(http, "GET /api/v1/programmes", "eligibility:check", null, personalData: false);
        return admitted is null ? refusal! : Results.Ok(programmes.All);
    }

    static async Task<IResult> Check(string programme, CheckRequest? request, HttpContext http, ApiGate gate, Programmes programmes, PaduDatabase database,
        CancellationToken cancellationToken)
    {
        const string action = "POST /api/v1/eligibility/{programme}/check";
        var subject = request?.HouseholdId is { } hid ? PersonEndpoints.Subject("household", hid)
            : request?.PersonId is { } pid ? PersonEndpoints.Subject("person", pid) : null;
        var (admitted, refusal) = await gate.AdmitAsync(http, action, "eligibility:check", subject);
        if (admitted is null)
        {
            return refusal!;
        }
        if (programmes.Find(programme) is not { } found)
        {
            await gate.AuditAsync(admitted, action, subject, null, 404);
            return ApiGate.Problem(404, "No such programme", $"There is no programme '{programme}'. Known: {string.Join(", ", programmes.All.Select(p => p.Code))}.");
        }
        var given = (request?.PersonId is not null ? 1 : 0) + (request?.HouseholdId is not null ? 1 : 0) + (request?.Identifier is not null ? 1 : 0);
        if (given != 1)
        {
            await gate.AuditAsync(admitted, action, subject, null, 400);
            return ApiGate.Problem(400, "Whom to check", "Send exactly one of person_id, household_id or identifier (with an optional kind).");
        }
        if (found.Subject == "person" && request!.HouseholdId is not null)
        {
            await gate.AuditAsync(admitted, action, subject, null, 400);
            return ApiGate.Problem(400, "A person programme", $"{found.Code} is checked for a person: send person_id or identifier.");
        }

        var personId = request!.PersonId;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var (holders, facts) = await database.LookUpAsync(async connection =>
        {
            if (request.Identifier is { } identifier)
            {
                var ids = await PersonProfile.LookupAsync(connection, identifier, request.Kind, cancellationToken);
                if (ids.Count != 1)
                {
                    return (ids.Count, null);
                }
                personId = ids[0];
            }
            // A person's facts carry their household's, so a household programme checked for a person reads them too.
            return (1, personId is { } p
                ? await Facts.ForPersonAsync(connection, p, today, cancellationToken)
                : await Facts.ForHouseholdAsync(connection, request.HouseholdId!.Value, today, cancellationToken));
        });
        if (holders != 1)
        {
            await gate.AuditAsync(admitted, action, null, ["lookup"], holders == 0 ? 404 : 409);
            return holders == 0
                ? ApiGate.Problem(404, "No such person", "No golden person holds that identifier.")
                : ApiGate.Problem(409, "Identifier held by more than one person", "Agencies disagree about who holds this identifier; a steward must settle it. Check by person_id.");
        }
        if (found.Subject == "household" && facts is { HouseholdId: null })
        {
            facts = null;
        }
        if (facts is null)
        {
            await gate.AuditAsync(admitted, action, subject, null, 404);
            return ApiGate.Problem(404, "Nobody to check", personId is not null ? $"No golden person {personId} (or no household for them)." : $"No golden household {request.HouseholdId}.");
        }
        var answer = View(admitted, EligibilityCheck.Evaluate(found, facts, DateTime.UtcNow));
        await gate.AuditAsync(admitted, action, SubjectOf(answer), Fields(admitted, found), 200);
        return Results.Ok(answer);
    }

    static async Task Batch(string programme, BatchRequest? request, HttpContext http, ApiGate gate, Programmes programmes, PaduDatabase database,
        CancellationToken cancellationToken)
    {
        const string action = "POST /api/v1/eligibility/{programme}/batch";
        var (admitted, refusal) = await gate.AdmitAsync(http, action, "eligibility:check", null);
        if (admitted is null)
        {
            await refusal!.ExecuteAsync(http);
            return;
        }
        var found = programmes.Find(programme);
        var ids = request?.PersonIds ?? request?.HouseholdIds;
        var problem = BatchProblem(programme, found, request, ids);
        if (problem is not null)
        {
            await gate.AuditAsync(admitted, action, null, null, 400);
            await problem.ExecuteAsync(http);
            return;
        }

        http.Response.ContentType = "application/x-ndjson";
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var byPerson = request!.PersonIds is not null;
        var fields = Fields(admitted, found!);
        foreach (var chunk in ids!.Chunk(Chunk))
        {
            // A connection per chunk: a batch streaming for half a minute must not hold one of the few the checks share.
            var facts = await FactsAsync(database, found!, chunk, byPerson, today, cancellationToken);
            var now = DateTime.UtcNow;
            var lines = new List<BatchLine>(chunk.Length);
            var audit = new List<AuditEntry>(chunk.Length);
            foreach (var id in chunk)
            {
                var idField = byPerson ? "person_id" : "household_id";
                if (facts.TryGetValue(id, out var f))
                {
                    var answer = View(admitted, EligibilityCheck.Evaluate(found!, f, now));
                    lines.Add(new BatchLine(id, answer, null));
                    audit.Add(new AuditEntry(admitted.Client.Id, admitted.Client.Name, admitted.Purpose, action, SubjectOf(answer), fields, 200));
                }
                else
                {
                    // An id asked about and not found is audited too, as a single check's 404 is: otherwise a batch could
                    // probe which ids exist without a trace.
                    lines.Add(new BatchLine(id, null, $"no golden {(byPerson ? "person" : "household")} with this {idField}"));
                    audit.Add(new AuditEntry(admitted.Client.Id, admitted.Client.Name, admitted.Purpose, action,
                        PersonEndpoints.Subject(byPerson ? "person" : "household", id), null, 404));
                }
            }
            // The chunk's answers leave only after their audit rows are committed.
            await gate.AuditManyAsync(audit);
            await WriteLinesAsync(http, lines, chunk.Length, cancellationToken);
        }
    }

    /// <summary>Why a batch cannot be checked as sent, or null when it can.</summary>
    static IResult? BatchProblem(string programme, Programme? found, BatchRequest? request, long[]? ids)
    {
        if (found is null)
        {
            return ApiGate.Problem(404, "No such programme", $"There is no programme '{programme}'.");
        }
        if (ids is null || (request!.PersonIds is not null && request.HouseholdIds is not null))
        {
            return ApiGate.Problem(400, "Whom to check", "Send exactly one of person_ids or household_ids.");
        }
        if (ids.Length > MaxBatch)
        {
            return ApiGate.Problem(400, "Batch too large", $"At most {MaxBatch:N0} ids per batch; this one has {ids.Length:N0}.");
        }
        if (found.Subject == "person" && request!.HouseholdIds is not null)
        {
            return ApiGate.Problem(400, "A person programme", $"{found.Code} is checked for people: send person_ids.");
        }
        return null;
    }

    /// <summary>One chunk's facts, by person or by household as the programme and the request say.</summary>
    static async Task<Dictionary<long, Facts>> FactsAsync(PaduDatabase database, Programme found, long[] chunk, bool byPerson, DateOnly today,
        CancellationToken cancellationToken)
    {
        return await database.LookUpAsync(async connection =>
        {
            if (found.Subject == "person")
            {
                return await Facts.ForPersonsAsync(connection, chunk, today, cancellationToken);
            }
            if (byPerson)
            {
                // A household programme checked for people: each person answers with their household's facts.
                var households = await Facts.ForPersonsAsync(connection, chunk, today, cancellationToken);
                var wanted = households.Values.Where(f => f.HouseholdId is not null).Select(f => f.HouseholdId!.Value).Distinct().ToArray();
                var byHousehold = await Facts.ForHouseholdsAsync(connection, wanted, today, cancellationToken);
                return households.Where(p => p.Value.HouseholdId is { } h && byHousehold.ContainsKey(h))
                    .ToDictionary(p => p.Key, p => byHousehold[p.Value.HouseholdId!.Value]);
            }
            return await Facts.ForHouseholdsAsync(connection, chunk, today, cancellationToken);
        });
    }

    /// <summary>A chunk's lines, one JSON object each.</summary>
    static async Task WriteLinesAsync(HttpContext http, List<BatchLine> lines, int chunk, CancellationToken cancellationToken)
    {
        // A chunk's lines are written into one buffer and sent together: a write per line costs more than the line.
        var buffer = new ArrayBufferWriter<byte>(chunk * 2048);
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            foreach (var line in lines)
            {
                JsonSerializer.Serialize(writer, line, ProfileJson.Default.BatchLine);
                await writer.FlushAsync(cancellationToken);
                writer.Reset();
                buffer.Write("\n"u8);
            }
        }
        await http.Response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken);
        await http.Response.Body.FlushAsync(cancellationToken);
    }

    static EligibilityAnswer View(Admitted admitted, EligibilityAnswer answer) => admitted.Client.Has("profile:income") ? answer : answer.WithoutIncome();

    static string[] Fields(Admitted admitted, Programme programme) =>
        ["eligibility:" + programme.Code, .. admitted.Client.Has("profile:income") ? new[] { "income" } : []];

    static string SubjectOf(EligibilityAnswer answer) =>
        answer.PersonId is { } p ? PersonEndpoints.Subject("person", p) : PersonEndpoints.Subject("household", answer.HouseholdId ?? 0);
}
