using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PaduHub.Access;
using PaduHub.Database;
using PaduHub.Stewardship;

namespace PaduHub.Server.Pages.Steward;

/// <summary>Sign-in for stewards and supervisors. Every attempt is audited; a name that keeps failing waits a minute.</summary>
[AllowAnonymous]
public sealed class SignInModel(PaduDatabase database, AccessAudit audit) : StewardPage(database, audit)
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
        var account = await StewardAccounts.SignInAsync(Database.ConnectionString, name, Password, HttpContext.RequestAborted);
        if (account is null)
        {
            if (s_failures.Count > 10_000)
            {
                s_failures.Clear(); // made-up names must not fill memory; forgetting only lets a name start afresh
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
