namespace PaduHub.Access;

/// <summary>A system allowed to call the API, and what it may do.</summary>
public sealed record ApiClient(long Id, string Name, string[] Scopes)
{
    public bool Has(string scope) => Scopes.Contains(scope, StringComparer.Ordinal);

    /// <summary>The scope an agency needs to send its extracts: ingest:JPN, ingest:LHDN, ...</summary>
    /// <summary>The scope that lets a steward key take back another steward's decision, as a supervisor may on the pages.</summary>
    public const string SupervisorScope = "supervisor";

    public static string IngestScope(string agencyCode) => $"ingest:{agencyCode.ToUpperInvariant()}";
}
