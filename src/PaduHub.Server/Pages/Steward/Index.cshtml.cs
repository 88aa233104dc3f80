using Dapper;
using Microsoft.AspNetCore.Mvc;
using PaduHub.Access;
using PaduHub.Database;
using PaduHub.Stewardship;

namespace PaduHub.Server.Pages.Steward;

/// <summary>The review queue: doubtful pairs by impact and closeness, filterable; and household conflicts.</summary>
public sealed class IndexModel(PaduDatabase database, AccessAudit audit) : StewardPage(database, audit)
{
    [BindProperty(SupportsGet = true)]
    public string? Agency { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Reason { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? State { get; set; } = "open";

    public List<ReviewItem> Items { get; private set; } = [];

    public List<HouseholdConflict> Conflicts { get; private set; } = [];

    public List<string> Agencies { get; private set; } = [];

    /// <summary>Set when the model in use failed its checks when trained: its verdict, for stewards to read the queue by.</summary>
    public PaduHub.Matching.ModelSanity? ModelWarning { get; private set; }

    /// <summary>The newest full run's own estimate of its matches, precision and recall, in a sentence; null before one.</summary>
    public string? RunEstimate { get; private set; }

    public static readonly string[] Reasons = ["doubtful", "would_chain", "different_verified_mykad"];

    /// <summary>Why matching queued a pair, as a steward reads it.</summary>
    public static string ReasonInWords(string reason) => reason switch
    {
        "doubtful" => "close to the line: neither clearly one person nor two",
        "would_chain" => "would join people matching keeps apart (one record linking two others)",
        "different_verified_mykad" => "alike, but each holds its own MyKad the registration department knows",
        "cannot_link" => "alike, but a rule keeps them apart",
        _ => reason.Replace('_', ' '),
    };

    public async Task<IActionResult> OnGetAsync()
    {
        await using var connection = Connect();
        Agencies = (await connection.QueryAsync<string>("select code from agency order by code")).AsList();
        var state = State is "open" or "claimed" or "deferred" ? State : null;
        Items = await ReviewQueue.ListAsync(connection, Reasons.Contains(Reason) ? Reason : null, Agencies.Contains(Agency ?? "") ? Agency : null, state, 200,
            HttpContext.RequestAborted);
        Conflicts = await HouseholdConflicts.OpenAsync(connection, null, 100, HttpContext.RequestAborted);
        var sanity = await connection.QuerySingleOrDefaultAsync<string>("select model->>'sanity' from match_model order by id desc limit 1");
        ModelWarning = sanity is not null && PaduHub.Matching.ModelSanity.Parse(sanity) is { FellBack: true } fell ? fell : null;
        var estimate = await connection.QuerySingleOrDefaultAsync<string>(
            "select estimate::text from match_run where kind = 'full' and estimate is not null order by id desc limit 1");
        RunEstimate = estimate is null ? null : PaduHub.Matching.ModelEstimate.Parse(estimate)?.Describe();
        // The queue names the people of each pair, so each pair shown is audited as a read of their identity.
        await AuditSubjectsAsync("GET /steward", Items.Select(i => $"pair:{i.SourceA}:{i.SourceB}").DefaultIfEmpty("review"), ["identity"]);
        return Page();
    }

    public Task<IActionResult> OnPostSettleAsync(long conflict, string? reason) =>
        ActAsync("POST /steward/conflicts/{id}/settle", $"household_conflict:{conflict}", async connection =>
        {
            await HouseholdConflicts.SettleAsync(connection, conflict, StewardName, reason ?? "", HttpContext.RequestAborted);
            return $"Household conflict {conflict} settled; formation will not raise it again.";
        }, () => RedirectToPage());
}
