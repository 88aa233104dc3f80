using Microsoft.AspNetCore.Mvc;
using PaduHub.Access;
using PaduHub.Database;
using PaduHub.Stewardship;

namespace PaduHub.Server.Pages.Steward;

/// <summary>
/// Keys and accounts, for supervisors: the API clients with their scopes, revoked or rotated here; the steward
/// accounts, disabled here. The same functions as <c>padu clients</c> and <c>padu stewards</c>, audited the same way
/// with the supervisor's name.
/// </summary>
public sealed class AccountsModel(PaduDatabase database, AccessAudit audit) : StewardPage(database, audit)
{
    public List<ApiClients.Listed> Clients { get; private set; } = [];

    public List<StewardAccounts.Listed> Stewards { get; private set; } = [];

    /// <summary>A rotated key, shown in the answer to the rotation and never again (it is not kept).</summary>
    public (string Client, string Key)? NewKey { get; private set; }

    string Operator => $"supervisor {StewardName}";

    /// <summary>Every handler of this page is for supervisors; a steward is sent to the page that says so.</summary>
    public override async Task OnPageHandlerExecutionAsync(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context,
        Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutionDelegate next)
    {
        if (!IsSupervisor)
        {
            context.Result = RedirectToPage("Denied", new { what = "accounts" });
            return;
        }
        await next();
    }

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        await AuditAsync("GET /steward/accounts", null, ["api_clients", "steward_accounts"]);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string? client)
    {
        var done = await ApiClients.RevokeAsync(Database.ConnectionString, client ?? "", Operator, HttpContext.RequestAborted);
        (Flash, Problem) = done ? ((string?)$"The key of {client} is revoked: it stops working within the key cache's time (30 s by default).", (string?)null)
            : (null, $"No active client is called {client}.");
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRotateAsync(string? client)
    {
        // The new key is shown in this answer only: a redirect would have to carry it in a cookie.
        if (await ApiClients.RotateAsync(Database.ConnectionString, client ?? "", Operator, HttpContext.RequestAborted) is { } key)
        {
            NewKey = (client!, key);
            Flash = $"{client} has a new key; the old one stopped at once. Give it to the client's owner now: it is not kept and not shown again.";
        }
        else
        {
            Problem = $"No active client is called {client}.";
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync(string? steward)
    {
        if (steward == StewardName)
        {
            Problem = "You cannot disable your own account; ask another supervisor or the hub's operator (padu stewards disable).";
            return RedirectToPage();
        }
        var done = await StewardAccounts.DisableAsync(Database.ConnectionString, steward ?? "", Operator, HttpContext.RequestAborted);
        (Flash, Problem) = done ? ((string?)$"{steward} can no longer sign in; their open sessions end at their next page. Their decisions stand.", (string?)null)
            : (null, $"No active account is called {steward}.");
        return RedirectToPage();
    }

    async Task LoadAsync()
    {
        Clients = await ApiClients.ListAsync(Database.ConnectionString, HttpContext.RequestAborted);
        Stewards = await StewardAccounts.ListAsync(Database.ConnectionString, HttpContext.RequestAborted);
    }
}
