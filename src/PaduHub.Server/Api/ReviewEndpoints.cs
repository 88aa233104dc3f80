using System.Text.Json.Serialization;
using PaduHub.Access;
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

    public sealed record CorrectionRequest(
        [property: JsonPropertyName("attribute")] string? Attribute,
        [property: JsonPropertyName("value")] string? Value,
        [property: JsonPropertyName("reason")] string? Reason);

    public static void MapReview(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/review").WithTags("Steward review");
        api.MapGet("", List).WithName("ListReviewQueue").Produces<List<ReviewItem>>()
            .WithSummary("Doubtful pairs by impact (people in larger households first) and closeness, with each field's contribution; filter by reason, agency and state (open, claimed, deferred).").GivesPersonalData().Problems(404);
        api.MapGet("/households", HouseholdQuestions).WithName("ListHouseholdConflicts").Produces<List<HouseholdConflict>>()
            .WithSummary("Household conflicts formation would not settle: spouses naming different partners, a member also in another household, income agencies disagree on.").GivesPersonalData().Problems(404);
        api.MapPost("/households/{id:long}/settle", SettleConflict).WithName("SettleHouseholdConflict")
            .WithSummary("Close a household conflict the data will keep showing, with a reason; formation does not raise it again.").GivesPersonalData().Problems(404);
        api.MapGet("/explain/{a:long}/{b:long}", Explain).WithName("ExplainPair")
            .WithSummary("Why two source records did or did not match with the current model: each comparison's level and weight (no values).").GivesPersonalData().Problems(404);
        api.MapGet("/model", Model).WithName("CurrentMatchModel")
            .WithSummary("The matching model in use: its check's verdict, m, u and weight per level, lambda, and the newest full run's own estimate of its matches, precision and recall.").GivesPersonalData().Problems(404);
        api.MapPost("/{a:long}/{b:long}/claim", Claim).WithName("ClaimReviewItem").WithSummary("Take an item; other stewards get 409 for 30 minutes.").GivesPersonalData().Problems(404);
        api.MapPost("/{a:long}/{b:long}/decision", Decide).WithName("DecideReviewItem")
            .WithSummary("same (merge), different (keep apart for good) or defer (with a note); applied at once, honoured by every later run.").GivesPersonalData().Problems(404);
        api.MapPost("/{a:long}/{b:long}/undo", Undo).WithName("UndoReviewDecision")
            .WithSummary("Take back the decision on a pair, with a reason; applied at once, and logged beside the decision it undid.").GivesPersonalData().Problems(404);
        app.MapPost("/api/v1/golden/{id:long}/split", Split).WithTags("Steward review").WithName("SplitGoldenPerson")
            .WithSummary("The named source records leave the golden person; kept apart from the rest in every later run.").GivesPersonalData().Problems(404);
        app.MapPost("/api/v1/golden/{id:long}/corrections", Correct).WithTags("Steward review").WithName("CorrectGoldenAttribute")
            .WithSummary("Correct one golden attribute with a reason; stands over later extracts until the agency sends a different value.").GivesPersonalData().Problems(404);
        app.MapPost("/api/v1/corrections/{id:long}/withdraw", Withdraw).WithTags("Steward review").WithName("WithdrawCorrection")
            .WithSummary("Withdraw a correction, with a reason; the agencies' value shows again.").GivesPersonalData().Problems(404);
    }

    static async Task<IResult> List(string? reason, string? agency, string? state, int? limit, HttpContext http, ApiGate gate, PaduDatabase database,
        CancellationToken cancellationToken)
    {
        const string action = "GET /api/v1/review";
        var (admitted, refusal) = await gate.AdmitAsync(http, action, "steward", null);
        if (admitted is null)
        {
            return refusal!;
        }
        await using var connection = database.Connect();
        List<ReviewItem> items;
        try
        {
            items = await ReviewQueue.ListAsync(connection, reason, agency, state, Math.Clamp(limit ?? 50, 1, 500), cancellationToken);
        }
        catch (ArgumentException e)
        {
            return ApiGate.Problem(400, "Filter not understood", e.Message);
        }
        await gate.AuditSubjectsAsync(admitted, action, items.Select(i => Subject(i.SourceA, i.SourceB)), ["review"]);
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
        await gate.AuditSubjectsAsync(admitted, action, conflicts.SelectMany(c => c.GoldenIds).Distinct().Select(id => PersonEndpoints.Subject("person", id)),
            ["household_conflict"]);
        return Results.Ok(conflicts);
    }

    static async Task<IResult> Explain(long a, long b, HttpContext http, ApiGate gate, PaduDatabase database, CancellationToken cancellationToken)
    {
        const string action = "GET /api/v1/review/explain/{a}/{b}";
        var (admitted, refusal) = await gate.AdmitAsync(http, action, "steward", null);
        if (admitted is null)
        {
            return refusal!;
        }
        await using var connection = database.Connect();
        await connection.OpenAsync(cancellationToken);
        var explained = await PairExplanation.ExplainAsync(connection, a, b, new global::PaduHub.Matching.MatchSettings(), cancellationToken);
        await gate.AuditAsync(admitted, action, Subject(a, b), ["match_levels"], explained is null ? 404 : 200);
        return explained is null
            ? ApiGate.Problem(404, "Nothing to explain", "Both must be active source records, and a model this version can use must be trained (the next full run trains one: padu match --full).")
            : Results.Ok(new
            {
                a = explained.A,
                b = explained.B,
                weight = explained.Weight,
                probability = explained.Probability,
                verdict = explained.Verdict,
                same_golden_person = explained.SameGoldenPerson,
                model = explained.Model,
                fields = explained.Fields.Select(f => new { field = f.Field, level = f.Level, level_name = f.LevelName, weight = f.Weight }),
            });
    }

    static async Task<IResult> Model(HttpContext http, ApiGate gate, PaduDatabase database, CancellationToken cancellationToken)
    {
        const string action = "GET /api/v1/review/model";
        var (admitted, refusal) = await gate.AdmitAsync(http, action, "steward", null);
        if (admitted is null)
        {
            return refusal!;
        }
        await using var connection = database.Connect();
        await connection.OpenAsync(cancellationToken);
        var model = await StoredModels.SummaryAsync(connection, cancellationToken);
        await gate.AuditAsync(admitted, action, null, ["match_model"], model is null ? 404 : 200);
        // The same snake_case shape match-csv writes beside its clusters.
        return model is not { } found
            ? ApiGate.Problem(404, "No model yet", "No matching run has trained a model.")
            : Results.Json(new { trained_at = found.TrainedAt, model = found.Summary }, global::PaduHub.Matching.ModelSummary.JsonOptions);
    }

    static Task<IResult> Claim(long a, long b, HttpContext http, ApiGate gate, PaduDatabase database, CancellationToken cancellationToken) =>
        ActAsync(http, gate, database, "POST /api/v1/review/{a}/{b}/claim", Subject(a, b), async (client, connection) =>
        {
            var steward = client.Name;
            await ReviewQueue.ClaimAsync(connection, a, b, steward, cancellationToken);
            return Results.Ok(new { claimed_by = steward, until = DateTime.UtcNow + ReviewQueue.ClaimLifetime });
        });

    static Task<IResult> Decide(long a, long b, DecisionRequest? request, HttpContext http, ApiGate gate, PaduDatabase database,
        PersonMatching matching, GoldenHouseholds households, CancellationToken cancellationToken) =>
        ActAsync(http, gate, database, "POST /api/v1/review/{a}/{b}/decision", Subject(a, b), async (client, connection) =>
        {
            var steward = client.Name;
            await ReviewQueue.DecideAsync(connection, a, b, request?.Decision ?? "", steward, request?.Reason ?? "", cancellationToken,
                supervisor: client.Has(ApiClient.SupervisorScope));
            if (request!.Decision != "defer")
            {
                await ApplyAtOnceAsync(matching, households, cancellationToken);
            }
            var golden = await GoldenOfAsync(connection, [a, b]);
            return Results.Ok(new { decision = request.Decision, decided_by = steward, golden_a = golden.GetValueOrDefault(a), golden_b = golden.GetValueOrDefault(b) });
        });

    static Task<IResult> Undo(long a, long b, UndoRequest? request, HttpContext http, ApiGate gate, PaduDatabase database,
        PersonMatching matching, GoldenHouseholds households, CancellationToken cancellationToken) =>
        ActAsync(http, gate, database, "POST /api/v1/review/{a}/{b}/undo", Subject(a, b), async (client, connection) =>
        {
            var steward = client.Name;
            await ReviewQueue.UndoAsync(connection, a, b, steward, client.Has(ApiClient.SupervisorScope), request?.Reason ?? "", cancellationToken);
            await ApplyAtOnceAsync(matching, households, cancellationToken);
            return Results.Ok(new { undone = true, golden = await GoldenOfAsync(connection, [a, b]) });
        });

    static Task<IResult> Split(long id, SplitRequest? request, HttpContext http, ApiGate gate, PaduDatabase database,
        PersonMatching matching, GoldenHouseholds households, CancellationToken cancellationToken) =>
        ActAsync(http, gate, database, "POST /api/v1/golden/{id}/split", PersonEndpoints.Subject("person", id), async (client, connection) =>
        {
            var steward = client.Name;
            var leaving = request?.Leaving ?? [];
            await ReviewQueue.SplitAsync(connection, id, leaving, steward, request?.Reason ?? "", cancellationToken);
            await ApplyAtOnceAsync(matching, households, cancellationToken);
            return Results.Ok(new { golden = await GoldenOfAsync(connection, leaving) });
        });

    static Task<IResult> Correct(long id, CorrectionRequest? request, HttpContext http, ApiGate gate, PaduDatabase database,
        PersonMatching matching, GoldenHouseholds households, CancellationToken cancellationToken) =>
        ActAsync(http, gate, database, "POST /api/v1/golden/{id}/corrections", PersonEndpoints.Subject("person", id), async (client, connection) =>
        {
            var steward = client.Name;
            var correction = await AttributeCorrections.CorrectAsync(connection, id, request?.Attribute ?? "", request?.Value, steward, request?.Reason ?? "",
                cancellationToken);
            await ApplyAtOnceAsync(matching, households, cancellationToken);
            return Results.Ok(new { correction_id = correction, golden = id });
        });

    static Task<IResult> SettleConflict(long id, UndoRequest? request, HttpContext http, ApiGate gate, PaduDatabase database, CancellationToken cancellationToken) =>
        ActAsync(http, gate, database, "POST /api/v1/review/households/{id}/settle", $"household_conflict:{id}", async (client, connection) =>
        {
            var steward = client.Name;
            await HouseholdConflicts.SettleAsync(connection, id, steward, request?.Reason ?? "", cancellationToken);
            return Results.Ok(new { settled = id, settled_by = steward });
        });

    static Task<IResult> Withdraw(long id, UndoRequest? request, HttpContext http, ApiGate gate, PaduDatabase database,
        PersonMatching matching, GoldenHouseholds households, CancellationToken cancellationToken) =>
        ActAsync(http, gate, database, "POST /api/v1/corrections/{id}/withdraw", $"correction:{id}", async (client, connection) =>
        {
            var steward = client.Name;
            await AttributeCorrections.WithdrawAsync(connection, id, steward, request?.Reason ?? "", cancellationToken);
            await ApplyAtOnceAsync(matching, households, cancellationToken);
            return Results.Ok(new { withdrawn = id });
        });

    /// <summary>
    /// Applied at once: the records the action queued are re-matched (steward decisions bind the run) and households
    /// follow, before the steward gets the answer.
    /// </summary>
    internal static async Task ApplyAtOnceAsync(PersonMatching matching, GoldenHouseholds households, CancellationToken cancellationToken)
    {
        await matching.MatchQueuedAsync(cancellationToken);
        await households.RebuildAsync(cancellationToken);
    }

    /// <summary>Source record -> golden person it is in now.</summary>
    static async Task<Dictionary<long, long>> GoldenOfAsync(Npgsql.NpgsqlConnection connection, long[] sources) =>
        (await Dapper.SqlMapper.QueryAsync<(long Source, long Golden)>(connection,
            "select source_record_id, golden_id from golden_member where source_record_id = any(@sources)", new { sources }))
        .ToDictionary(r => r.Source, r => r.Golden);

    /// <summary>
    /// One steward action: admitted with the steward scope, run on an open connection, audited, and its refusals
    /// (409 conflict, 404 unknown item, 400 not understood) answered in words.
    /// </summary>
    static async Task<IResult> ActAsync(HttpContext http, ApiGate gate, PaduDatabase database, string action, string subject,
        Func<ApiClient, Npgsql.NpgsqlConnection, Task<IResult>> act)
    {
        var (admitted, refusal) = await gate.AdmitAsync(http, action, "steward", subject);
        if (admitted is null)
        {
            return refusal!;
        }
        await using var connection = database.Connect();
        await connection.OpenAsync(http.RequestAborted);
        return await Settle(gate, admitted, action, subject, () => act(admitted.Client, connection));
    }

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
