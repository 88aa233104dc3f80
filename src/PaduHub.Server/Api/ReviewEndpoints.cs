using System.Text.Json.Serialization;
using PaduHub.Database;
using PaduHub.GoldenRecords;
using PaduHub.Households;
using PaduHub.Stewardship;

namespace PaduHub.Server.Api;

/// <summary>
/// The steward review queue as an API (the workbench pages will sit on the same calls): list, claim, decide. A
/// decision is applied at once: the pair's records are re-matched and households formed again before the answer.
/// </summary>
static class ReviewEndpoints
{
    public sealed record DecisionRequest(
        [property: JsonPropertyName("decision")] string? Decision,
        [property: JsonPropertyName("reason")] string? Reason);

    public sealed record UndoRequest([property: JsonPropertyName("reason")] string? Reason);

    public sealed record SplitRequest(
        [property: JsonPropertyName("leaving")] long[]? Leaving,
        [property: JsonPropertyName("reason")] string? Reason);

    public static void MapReview(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/review").WithTags("Steward review");
        api.MapGet("", List).WithName("ListReviewQueue")
            .WithSummary("Doubtful pairs by impact (people in larger households first) and closeness, with each field's contribution; filter by reason and agency.");
        api.MapGet("/households", HouseholdQuestions).WithName("ListHouseholdConflicts")
            .WithSummary("Household conflicts formation would not settle: spouses naming different partners, a member also in another household, income agencies disagree on.");
        api.MapPost("/{a:long}/{b:long}/claim", Claim).WithName("ClaimReviewItem").WithSummary("Take an item; other stewards get 409 for 30 minutes.");
        api.MapPost("/{a:long}/{b:long}/decision", Decide).WithName("DecideReviewItem")
            .WithSummary("same (merge), different (keep apart for good) or defer (with a note); applied at once, honoured by every later run.");
        api.MapPost("/{a:long}/{b:long}/undo", Undo).WithName("UndoReviewDecision")
            .WithSummary("Take back the decision on a pair, with a reason; applied at once, and logged beside the decision it undid.");
        app.MapPost("/api/v1/golden/{id:long}/split", Split).WithTags("Steward review").WithName("SplitGoldenPerson")
            .WithSummary("The named source records leave the golden person; kept apart from the rest in every later run.");
    }

    static async Task<IResult> List(string? reason, string? agency, int? limit, HttpContext http, ApiGate gate, PaduDatabase database,
        CancellationToken cancellationToken)
    {
        const string action = "GET /api/v1/review";
        var (admitted, refusal) = await gate.AdmitAsync(http, action, "steward", null);
        if (admitted is null)
        {
            return refusal!;
        }
        await using var connection = database.Connect();
        var items = await ReviewQueue.ListAsync(connection, reason, agency, Math.Clamp(limit ?? 50, 1, 500), cancellationToken);
        await gate.AuditManyAsync(items.Select(i => new PaduHub.Access.AuditEntry(admitted.Client.Id, admitted.Client.Name, admitted.Purpose, action,
            Subject(i.SourceA, i.SourceB), ["review"], 200)).DefaultIfEmpty(new PaduHub.Access.AuditEntry(admitted.Client.Id, admitted.Client.Name,
            admitted.Purpose, action, null, ["review"], 200)).ToList());
        return Results.Ok(items);
    }

    static async Task<IResult> HouseholdQuestions(string? kind, int? limit, HttpContext http, ApiGate gate, PaduDatabase database,
        CancellationToken cancellationToken)
    {
        const string action = "GET /api/v1/review/households";
        var (admitted, refusal) = await gate.AdmitAsync(http, action, "steward", null);
        if (admitted is null)
        {
            return refusal!;
        }
        await using var connection = database.Connect();
        var conflicts = await HouseholdConflicts.OpenAsync(connection, kind, Math.Clamp(limit ?? 50, 1, 500), cancellationToken);
        await gate.AuditManyAsync(conflicts.SelectMany(c => c.GoldenIds).Distinct().Select(id => new PaduHub.Access.AuditEntry(admitted.Client.Id,
            admitted.Client.Name, admitted.Purpose, action, PersonEndpoints.Subject("person", id), ["household_conflict"], 200))
            .DefaultIfEmpty(new PaduHub.Access.AuditEntry(admitted.Client.Id, admitted.Client.Name, admitted.Purpose, action, null, ["household_conflict"], 200)).ToList());
        return Results.Ok(conflicts);
    }

    static async Task<IResult> Claim(long a, long b, HttpContext http, ApiGate gate, PaduDatabase database, CancellationToken cancellationToken)
    {
        const string action = "POST /api/v1/review/{a}/{b}/claim";
        var subject = Subject(a, b);
        var (admitted, refusal) = await gate.AdmitAsync(http, action, "steward", subject);
        if (admitted is null)
        {
            return refusal!;
        }
        await using var connection = database.Connect();
        await connection.OpenAsync(cancellationToken);
        return await Settle(gate, admitted, action, subject, async () =>
        {
            await ReviewQueue.ClaimAsync(connection, a, b, admitted.Client.Name, cancellationToken);
            return Results.Ok(new { claimed_by = admitted.Client.Name, until = DateTime.UtcNow + ReviewQueue.ClaimLifetime });
        });
    }

    static async Task<IResult> Decide(long a, long b, DecisionRequest? request, HttpContext http, ApiGate gate, PaduDatabase database,
        PersonMatching matching, GoldenHouseholds households, CancellationToken cancellationToken)
    {
        const string action = "POST /api/v1/review/{a}/{b}/decision";
        var subject = Subject(a, b);
        var (admitted, refusal) = await gate.AdmitAsync(http, action, "steward", subject);
        if (admitted is null)
        {
            return refusal!;
        }
        await using var connection = database.Connect();
        await connection.OpenAsync(cancellationToken);
        return await Settle(gate, admitted, action, subject, async () =>
        {
            await ReviewQueue.DecideAsync(connection, a, b, request?.Decision ?? "", admitted.Client.Name, request?.Reason ?? "", cancellationToken);
            if (request!.Decision != "defer")
            {
                // Applied at once: the two records are re-matched (the decision binds the run) and households follow.
                await matching.MatchQueuedAsync(cancellationToken);
                await households.RebuildAsync(cancellationToken);
            }
            var golden = (await Dapper.SqlMapper.QueryAsync<(long Source, long Golden)>(connection,
                "select source_record_id, golden_id from golden_member where source_record_id in (@a, @b)", new { a, b })).ToDictionary(r => r.Source, r => r.Golden);
            return Results.Ok(new { decision = request.Decision, decided_by = admitted.Client.Name, golden_a = golden.GetValueOrDefault(a), golden_b = golden.GetValueOrDefault(b) });
        });
    }

    static async Task<IResult> Undo(long a, long b, UndoRequest? request, HttpContext http, ApiGate gate, PaduDatabase database,
        PersonMatching matching, GoldenHouseholds households, CancellationToken cancellationToken)
    {
        const string action = "POST /api/v1/review/{a}/{b}/undo";
        var subject = Subject(a, b);
        var (admitted, refusal) = await gate.AdmitAsync(http, action, "steward", subject);
        if (admitted is null)
        {
            return refusal!;
        }
        await using var connection = database.Connect();
        await connection.OpenAsync(cancellationToken);
        return await Settle(gate, admitted, action, subject, async () =>
        {
            await ReviewQueue.UndoAsync(connection, a, b, admitted.Client.Name, request?.Reason ?? "", cancellationToken);
            await matching.MatchQueuedAsync(cancellationToken);
            await households.RebuildAsync(cancellationToken);
            return Results.Ok(new { undone = true, golden = await GoldenOfAsync(connection, [a, b]) });
        });
    }

    static async Task<IResult> Split(long id, SplitRequest? request, HttpContext http, ApiGate gate, PaduDatabase database,
        PersonMatching matching, GoldenHouseholds households, CancellationToken cancellationToken)
    {
        const string action = "POST /api/v1/golden/{id}/split";
        var subject = PersonEndpoints.Subject("person", id);
        var (admitted, refusal) = await gate.AdmitAsync(http, action, "steward", subject);
        if (admitted is null)
        {
            return refusal!;
        }
        await using var connection = database.Connect();
        await connection.OpenAsync(cancellationToken);
        return await Settle(gate, admitted, action, subject, async () =>
        {
            var leaving = request?.Leaving ?? [];
            await ReviewQueue.SplitAsync(connection, id, leaving, admitted.Client.Name, request?.Reason ?? "", cancellationToken);
            await matching.MatchQueuedAsync(cancellationToken);
            await households.RebuildAsync(cancellationToken);
            return Results.Ok(new { golden = await GoldenOfAsync(connection, leaving) });
        });
    }

    /// <summary>Source record -> golden person it is in now.</summary>
    static async Task<Dictionary<long, long>> GoldenOfAsync(Npgsql.NpgsqlConnection connection, long[] sources) =>
        (await Dapper.SqlMapper.QueryAsync<(long Source, long Golden)>(connection,
            "select source_record_id, golden_id from golden_member where source_record_id = any(@sources)", new { sources }))
        .ToDictionary(r => r.Source, r => r.Golden);

    static async Task<IResult> Settle(ApiGate gate, Admitted admitted, string action, string subject, Func<Task<IResult>> act)
    {
        try
        {
            var result = await act();
            await gate.AuditAsync(admitted, action, subject, ["review"], 200);
            return result;
        }
        catch (ReviewConflictException e)
        {
            await gate.AuditAsync(admitted, action, subject, null, 409);
            return ApiGate.Problem(409, "Conflict", e.Message);
        }
        catch (ReviewNotFoundException e)
        {
            await gate.AuditAsync(admitted, action, subject, null, 404);
            return ApiGate.Problem(404, "No such review item", e.Message);
        }
        catch (ArgumentException e)
        {
            await gate.AuditAsync(admitted, action, subject, null, 400);
            return ApiGate.Problem(400, "Decision not understood", e.Message);
        }
    }

    static string Subject(long a, long b) => $"pair:{a}:{b}";
}
