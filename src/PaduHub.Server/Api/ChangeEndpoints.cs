using Microsoft.AspNetCore.Mvc;
using PaduHub.Database;
using PaduHub.GoldenRecords;

namespace PaduHub.Server.Api;

/// <summary>
/// GET /api/v1/changes: every golden person and household event in order, for policy systems that keep golden ids and
/// must learn of merges, splits, deaths and withdrawals without asking about each person again.
/// </summary>
static class ChangeEndpoints
{
    const string Action = "GET /api/v1/changes";

    public static void MapChanges(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1").WithTags("Change feed").MapGet("/changes", Changes).WithName("GetChanges")
            .WithSummary("Golden person and household events after a cursor, oldest first.")
            .WithDescription("""
                Start with `after=0` and keep the page's `next_cursor`; a page with `more: false` is the end for now, so ask
                again later with the same cursor. Events: person `created`, `split` (from), `changed` (fields, records_changed,
                joined), `merged` (into), `withdrawn`, `restored`, `died`, `identifier_added`, `identifier_retired` (kind);
                household `created`, `changed` (fields), `merged` (into), `dissolved`, `revived`. Details hold ids and field
                names, never values. Person events need `profile:read`, household events `household:read`.
                """)
            .GivesPersonalData().Produces<ChangePage>().Problems();
    }

    static async Task<IResult> Changes([FromQuery] string? after, [FromQuery] string? subject, [FromQuery] int? limit, HttpContext http,
        ApiGate gate, PaduDatabase database, CancellationToken cancellationToken)
    {
        var scope = subject == "household" ? "household:read" : "profile:read";
        var (admitted, refusal) = await gate.AdmitAsync(http, Action, scope, null);
        if (admitted is null)
        {
            return refusal!;
        }
        string[]? subjects = subject switch
        {
            "person" => ["person"],
            "household" => ["household"],
            null or "" => admitted.Client.Has("household:read") ? ["person", "household"] : ["person"],
            _ => null,
        };
        if (subjects is null || !ChangeFeed.TryParseCursor(after, out var cursor) || limit is < 1 or > ChangeFeed.MaxPage)
        {
            await gate.AuditAsync(admitted, Action, null, null, 400);
            return ApiGate.Problem(400, "Request not understood", subjects is null ? "subject is person or household (or left out for both)."
                : limit is < 1 or > ChangeFeed.MaxPage ? $"limit is 1 to {ChangeFeed.MaxPage}."
                : "after is a cursor a page gave as next_cursor, or 0 for the beginning.");
        }
        var page = await database.LookUpOnPrimaryAsync(connection => ChangeFeed.ReadAsync(connection, cursor, subjects, limit ?? 1000, cancellationToken));
        // One row per page, naming the span of the feed it handed out; the events carry ids and field names only.
        await gate.AuditAsync(admitted, Action, $"changes:{after ?? ChangeFeed.Start}..{page.NextCursor}", subjects, 200);
        return Results.Ok(page);
    }
}
