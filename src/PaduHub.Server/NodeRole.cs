namespace PaduHub.Server;

/// <summary>
/// What this process does for the hub (<c>Padu:Role</c>): <c>api</c> serves the read API, agencies' uploads and the
/// steward pages; <c>worker</c> runs the background jobs; <c>both</c>, the default, does both, as a one-machine hub
/// does. Any number of each share one database: API processes keep nothing of their own (jobs, files and decisions
/// live in the database and the shared spool folder), and workers take jobs from the queues in <see cref="JobQueues"/>.
/// </summary>
public sealed record NodeRole(bool Api, bool Worker)
{
    public static readonly NodeRole Both = new(true, true);

    /// <summary>The configured role; null (and the reason) when the setting names none.</summary>
    public static (NodeRole? Role, string? Error) From(IConfiguration configuration) =>
        configuration["Padu:Role"]?.Trim().ToLowerInvariant() switch
        {
            null or "" or "both" => (Both, null),
            "api" => (new NodeRole(true, false), null),
            "worker" => (new NodeRole(false, true), null),
            var other => (null, $"Padu:Role is \"{other}\"; it must be api, worker or both (the default)."),
        };

    public override string ToString() => Api && Worker ? "both" : Api ? "api" : "worker";
}

/// <summary>
/// The named Hangfire queues a worker takes jobs from, each served by workers of its own so no kind of job starves
/// another. <c>Padu:Workers:&lt;queue&gt;</c> sets a queue's worker count on a process; 0 leaves the queue to other workers.
/// </summary>
public static class JobQueues
{
    public const string Ingest = "ingest";
    public const string Match = "match";
    public const string Households = "households";
    public const string Maintenance = "maintenance";

    /// <summary>Each queue and its workers on one process by default. Matching runs one at a time anyway (an advisory
    /// lock), and on two cores the database needs the rest.</summary>
    public static readonly IReadOnlyList<(string Queue, int Workers)> Defaults =
        [(Ingest, 2), (Match, 1), (Households, 1), (Maintenance, 1)];

    public static int WorkersFor(IConfiguration configuration, string queue, int fallback) =>
        configuration.GetValue($"Padu:Workers:{queue}", fallback);
}
