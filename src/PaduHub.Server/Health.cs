using Npgsql;
using PaduHub.Database;

namespace PaduHub.Server;

/// <summary>GET /health: is the database reachable, and is its schema the one this code expects.</summary>
static class Health
{
    public sealed record DatabaseHealth(string Status, int SchemaVersion, int ExpectedSchemaVersion, bool Embedded, string? Error);

    public sealed record HealthReport(string Status, DatabaseHealth Database);

    public static void MapHealth(this IEndpointRouteBuilder app) =>
        app.MapGet("/health", async (PaduDatabase database, CancellationToken cancellationToken) =>
        {
            var expected = SchemaMigrator.LatestVersion;
            try
            {
                await using var connection = database.Connect();
                await connection.OpenAsync(cancellationToken);
                var version = await SchemaMigrator.CurrentVersionAsync(connection, cancellationToken);
                var healthy = version == expected;
                var report = new HealthReport(healthy ? "ok" : "degraded",
                    new DatabaseHealth("up", version, expected, database.Embedded is not null, null));
                return Results.Json(report, statusCode: healthy ? 200 : 503);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                var report = new HealthReport("down", new DatabaseHealth("down", 0, expected, database.Embedded is not null, e.Message));
                return Results.Json(report, statusCode: 503);
            }
        }).WithTags("Health").WithName("GetHealth").WithSummary("Is the database reachable, and is its schema the one this code expects? No key needed.")
        .Produces<HealthReport>(200).Produces<HealthReport>(503);
}
