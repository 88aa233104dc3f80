using Npgsql;
using PaduHub.Database;

namespace PaduHub.Server;

/// <summary>
/// GET /health: is the database reachable, is its schema the one this code expects, and how far behind is each read
/// replica. A replica down or behind does not make the hub unhealthy (reads go to the primary meanwhile); it is said.
/// </summary>
static class Health
{
    public sealed record DatabaseHealth(string Status, int SchemaVersion, int ExpectedSchemaVersion, bool Embedded, string? Error);

    /// <summary>One hot standby: "up" (read from), "lagging" (further behind than allowed), "down" (refused or failed a read lately).</summary>
    public sealed record ReplicaHealth(string Name, string Status, double? LagSeconds, long Reads, long FellBack, string? Error);

    public sealed record HealthReport(string Status, string Role, DatabaseHealth Database, IReadOnlyList<ReplicaHealth> ReadReplicas);

    public static void MapHealth(this IEndpointRouteBuilder app, NodeRole role) =>
        app.MapGet("/health", async (PaduDatabase database, CancellationToken cancellationToken) =>
        {
            var expected = SchemaMigrator.LatestVersion;
            var replicas = Replicas(database);
            try
            {
                await using var connection = database.Connect();
                await connection.OpenAsync(cancellationToken);
                var version = await SchemaMigrator.CurrentVersionAsync(connection, cancellationToken);
                var healthy = version == expected;
                var report = new HealthReport(healthy ? "ok" : "degraded", role.ToString(),
                    new DatabaseHealth("up", version, expected, database.Embedded is not null, null), replicas);
                return Results.Json(report, statusCode: healthy ? 200 : 503);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                var report = new HealthReport("down", role.ToString(), new DatabaseHealth("down", 0, expected, database.Embedded is not null, e.Message), replicas);
                return Results.Json(report, statusCode: 503);
            }
        }).WithTags("Health").WithName("GetHealth")
        .WithSummary("Is the database reachable, is its schema the one this code expects, and how far behind are the read replicas? No key needed.")
        .Produces<HealthReport>(200).Produces<HealthReport>(503);

    static List<ReplicaHealth> Replicas(PaduDatabase database)
    {
        var now = DateTime.UtcNow;
        return database.Replicas is not { } replicas
            ? []
            : replicas.All.Select(r => new ReplicaHealth(r.Name,
                r.DownUntil > now || r.LagSeconds is null ? "down" : r.LagSeconds > replicas.MaxLag.TotalSeconds ? "lagging" : "up",
                r.LagSeconds, Interlocked.Read(ref r.Reads), Interlocked.Read(ref r.FellBack), r.Trouble)).ToList();
    }
}
