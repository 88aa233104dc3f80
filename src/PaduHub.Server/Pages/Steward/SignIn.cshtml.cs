using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PaduHub.Access;
using PaduHub.Database;
using PaduHub.Stewardship;

namespace PaduHub.Server.Pages.Steward;

/// <summary>
/// Sign-in for stewards and supervisors. Every attempt is audited; a name that keeps failing waits a minute; and all
/// attempts together pass through one <see cref="SignInThrottle"/>, so a flood of them cannot take the hub's cores.
/// </summary>
[AllowAnonymous]
public sealed class SignInModel(PaduDatabase database, AccessAudit audit, SignInThrottle throttle) : StewardPage(database, audit)
{
    const int FailuresBeforeWait = 5;
    static readonly TimeSpan s_wait = TimeSpan.FromMinutes(1);
    static readonly ConcurrentDictionary<string, (int Failures, DateTime Last)> s_failures = new(StringComparer.Ordinal);

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Refusal { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var name = (Name ?? "").Trim().ToLowerInvariant();
        if (name.Length is 0 or > 40 || string.IsNullOrEmpty(Password) || Password.Length > 200)
        {
            Refusal = "Enter your name and password.";
            return Page();
        }
        if (s_failures.TryGetValue(name, out var f) && f.Failures >= FailuresBeforeWait && DateTime.UtcNow - f.Last < s_wait)
        {
            await RecordAsync(name, 429);
            Refusal = "Too many failed attempts for this name: wait a minute and try again.";
            return Page();
        }
        var (admitted, account) = await throttle.RunAsync(() => StewardAccounts.SignInAsync(Database.ConnectionString, name, Password,
            HttpContext.RequestAborted), HttpContext.RequestAborted);
        if (!admitted)
        {
            await RecordAsync(name, 429);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = "2";
            Refusal = "Too many sign-in attempts at the moment: wait a few seconds and try again.";
            return Page();
        }
        if (account is null)
        {
            if (s_failures.Count > 10_000)
            {
                // Made-up names must not fill memory. Only names whose wait is over are forgotten: the throttle lets so
                // few attempts through that the names still waiting are a few hundred at most.
                foreach (var (stale, _) in s_failures.Where(e => DateTime.UtcNow - e.Value.Last >= s_wait))
                {
                    s_failures.TryRemove(stale, out _);
                }
            }
            s_failures.AddOrUpdate(name, _ => (1, DateTime.UtcNow), (_, old) => (old.Failures + 1, DateTime.UtcNow));
            await RecordAsync(name, 401);
            Refusal = "That name and password do not match an account.";
            return Page();
        }
        s_failures.TryRemove(name, out _);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Principal(account));
        await RecordAsync(name, 200);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) && ReturnUrl!.StartsWith("/steward", StringComparison.Ordinal) ? ReturnUrl : "/steward");
    }

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return RedirectToPage();
    }

    Task RecordAsync(string name, int status) =>
        Audit.RecordAsync(new AuditEntry(null, "steward:" + name, Purpose, "POST /steward/signin", null, null, status));
}
