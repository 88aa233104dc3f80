using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using PaduHub.Access;
using PaduHub.Database;
using PaduHub.Stewardship;

namespace PaduHub.Server.Pages.Steward;

/// <summary>
/// What every workbench page shares: the signed-in steward, the database, the access audit (a steward looking at a
/// person is audited like an API read, with the purpose "stewardship"), and one way to run an action and tell the
/// steward what became of it.
/// </summary>
public abstract class StewardPage(PaduDatabase database, AccessAudit audit) : PageModel
{
    public const string Purpose = "stewardship";

    protected PaduDatabase Database => database;

    protected AccessAudit Audit => audit;

    public string StewardName => User.Identity?.Name ?? "";

    public bool IsSupervisor => User.IsInRole(StewardAccounts.Supervisor);

    /// <summary>What the last action did, shown once after the redirect.</summary>
    [TempData]
    public string? Flash { get; set; }

    [TempData]
    public string? Problem { get; set; }

    /// <summary>Where the last action's result is (the person a merge made, the people a split left), as "url|words;url|words".</summary>
    [TempData]
    public string? FlashLinks { get; set; }

    /// <summary>The result's pages, shown under the flash message.</summary>
    public IEnumerable<(string Url, string Words)> ResultLinks => (FlashLinks ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
        .Select(l => l.Split('|', 2)).Where(p => p.Length == 2 && p[0].StartsWith("/steward/", StringComparison.Ordinal)).Select(p => (p[0], p[1]));

    protected void LinkResult(string url, string words) => FlashLinks = (FlashLinks is null ? "" : FlashLinks + ";") + $"{url}|{words}";

    protected void LinkPeople(IEnumerable<long> goldenIds)
    {
        foreach (var id in goldenIds.Distinct())
        {
            LinkResult($"/steward/person/{id}", $"person {id}");
        }
    }

    protected NpgsqlConnection Connect() => database.Connect();

    protected Task AuditAsync(string action, string? subject, string[]? fields, int status = 200) =>
        audit.RecordAsync(new AuditEntry(null, "steward:" + StewardName, Purpose, action, subject, fields, status));

    /// <summary>One audit row per subject shown (a queue page names the people of every pair on it).</summary>
    protected Task AuditSubjectsAsync(string action, IEnumerable<string> subjects, string[] fields) =>
        audit.RecordAsync(subjects.Select(s => new AuditEntry(null, "steward:" + StewardName, Purpose, action, s, fields, 200)).ToList());

    /// <summary>
    /// Runs a steward action and redirects back (post, redirect, get): a refusal (conflict, unknown item, a value
    /// that does not fit) comes back as a message on the page; every outcome is audited.
    /// </summary>
    protected async Task<IActionResult> ActAsync(string action, string subject, Func<NpgsqlConnection, Task<string>> act, Func<IActionResult> back)
    {
        await using var connection = Connect();
        await connection.OpenAsync(HttpContext.RequestAborted);
        try
        {
            Flash = await act(connection);
            await AuditAsync(action, subject, ["review"]);
        }
        catch (Exception e) when (e is ReviewConflictException or ReviewNotFoundException or ArgumentException)
        {
            Problem = e.Message;
            await AuditAsync(action, subject, null, e switch { ReviewConflictException => 409, ReviewNotFoundException => 404, _ => 400 });
        }
        return back();
    }

    public static ClaimsPrincipal Principal(StewardAccount account) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, account.Name), new Claim(ClaimTypes.Role, account.Role), new Claim("display_name", account.DisplayName)],
            "steward-password", ClaimTypes.Name, ClaimTypes.Role));
}
