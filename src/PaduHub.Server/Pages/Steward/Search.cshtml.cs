using Microsoft.AspNetCore.Mvc;
using PaduHub.Access;
using PaduHub.Database;
using PaduHub.Stewardship;

namespace PaduHub.Server.Pages.Steward;

/// <summary>Find a person by MyKad, old IC or another identifier, by source record, or by name.</summary>
public sealed class SearchModel(PaduDatabase database, AccessAudit audit) : StewardPage(database, audit)
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    public List<SearchHit> Hits { get; private set; } = [];

    public async Task OnGetAsync()
    {
        if (string.IsNullOrWhiteSpace(Query))
        {
            return;
        }
        await using var connection = Connect();
        await connection.OpenAsync(HttpContext.RequestAborted);
        Hits = await PersonSearch.FindAsync(connection, Query, HttpContext.RequestAborted);
        // Each person shown is a read of their identity; the query itself (often an IC number) is not kept.
        await AuditSubjectsAsync("GET /steward/search", Hits.Select(h => $"person:{h.GoldenId}").DefaultIfEmpty("search"), ["identity"]);
    }
}
