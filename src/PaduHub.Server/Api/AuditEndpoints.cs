using PaduHub.Access;
using PaduHub.Database;

namespace PaduHub.Server.Api;

/// <summary>GET /api/v1/audit: who read whose data, and why. For stewards and supervisors (the steward scope); reading it is audited too.</summary>
static class AuditEndpoints
{
    public static void MapAudit(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/audit", Query).WithTags("Audit").WithName("QueryAccessAudit")
            .WithSummary("Access audit rows, newest first, by subject (person:N or household:N), client_id and since; at most 1,000.")
            .GivesPersonalData().Produces<List<AuditRow>>().Problems();

    static async Task<IResult> Query(string? subject, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "client_id")] long? clientId, DateTime? since, int? limit, HttpContext http, ApiGate gate, PaduDatabase database,
        CancellationToken cancellationToken)
    {
        const string action = "GET /api/v1/audit";
        var (admitted, refusal) = await gate.AdmitAsync(http, action, "steward", subject);
        if (admitted is null)
        {
            return refusal!;
        }
        await using var connection = database.Connect();
        var rows = await AccessAudit.QueryAsync(connection, subject, clientId, since?.ToUniversalTime(), Math.Clamp(limit ?? 100, 1, 1000), cancellationToken);
        await gate.AuditAsync(admitted, action, subject, ["audit"], 200);
        return Results.Ok(rows);
    }
}
