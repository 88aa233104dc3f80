using Hangfire.Dashboard;
using PaduHub.Stewardship;

namespace PaduHub.Server.Pages.Steward;

/// <summary>The Hangfire dashboard can retry and delete jobs, so only a signed-in supervisor opens it.</summary>
sealed class SupervisorsOnly : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(StewardAccounts.Supervisor);
}
