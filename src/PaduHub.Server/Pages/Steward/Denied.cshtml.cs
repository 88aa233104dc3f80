using Microsoft.AspNetCore.Mvc;
using PaduHub.Access;
using PaduHub.Database;

namespace PaduHub.Server.Pages.Steward;

/// <summary>The page a signed-in steward gets, with status 403, for a page their role may not open (the job dashboard).</summary>
public sealed class DeniedModel(PaduDatabase database, AccessAudit audit) : StewardPage(database, audit)
{
    [BindProperty(SupportsGet = true, Name = "what")]
    public string? Asked { get; set; }

    public string What => Asked switch
    {
        "jobs" => "the job dashboard (/hangfire)",
        "accounts" => "keys and accounts (/steward/accounts)",
        { Length: > 0 and <= 200 } path when path.StartsWith("/steward/", StringComparison.Ordinal) => path,
        _ => "that page",
    };

    public async Task OnGetAsync()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await AuditAsync("GET /steward/denied", null, null, 403);
    }
}
