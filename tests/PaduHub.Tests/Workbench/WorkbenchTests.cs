using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Playwright;
using Npgsql;
using PaduHub.Access;
using PaduHub.Ingestion;
using PaduHub.Stewardship;
using PaduHub.Tests.Server;
using static Microsoft.Playwright.Assertions;

namespace PaduHub.Tests.Workbench;

/// <summary>
/// The steward workbench driven in a real headless Chromium against the real server on a socket: a steward signs in,
/// works the queue (one merge, one pair kept apart), splits a golden person, corrects an attribute; golden records,
/// households, eligibility answers and the audit trail follow, and a full re-match keeps every decision.
/// </summary>
[NonParallelizable]
public sealed partial class WorkbenchTests : DemoServerFixture
{
    const string AminaPassword = "amina-password-2026";
    const string SitiPassword = "siti-supervises-2026";
    IPlaywright? _playwright;
    IBrowser? _browser;
    string _policyKey = "";
    string _taxOfficeKey = "";

    protected override bool OnRealSocket => true;

    protected override async Task PrepareAsync()
    {
        await StewardAccounts.AddAsync(ConnectionString, "amina", "Amina Yusof", StewardAccounts.Steward, AminaPassword);
        await StewardAccounts.AddAsync(ConnectionString, "siti", "Siti Rahman", StewardAccounts.Supervisor, SitiPassword);
        (_, _policyKey) = await ApiClients.CreateAsync(ConnectionString, "policy", ["profile:read", "household:read", "eligibility:check"]);
        (_, _taxOfficeKey) = await ApiClients.CreateAsync(ConnectionString, "tax office", ["eligibility:check"]);
        await StewardAccounts.AddAsync(ConnectionString, "rahim", "Rahim Osman", StewardAccounts.Steward, "rahim-password-2026");
        // The demo's delta days too, as the embedded hub loads them: they hold a household conflict to settle.
        var loader = new ExtractLoader(ConnectionString, AgencyContracts.Load(), Path.Combine(Home, "spool"));
        foreach (var delta in Directory.GetFiles(Demo("deltas")).Order(StringComparer.Ordinal))
        {
            var agency = Path.GetFileName(delta).Split('_')[0].ToUpperInvariant();
            Assert.That((await loader.LoadAsync(new ExtractRequest(agency, delta, Path.GetFileName(delta), "cli"))).Status, Is.EqualTo("loaded"), delta);
        }
        await LoadDoubtfulAccountsAsync(loader, sequence: 4);
        await Matching().MatchQueuedAsync();
        await Households().RebuildAsync();
        // Enough reads for the audit trail to page.
        await using var audit = new AccessAudit(ConnectionString);
        await audit.RecordAsync([.. Enumerable.Range(1, 120).Select(i => new AuditEntry(null, "policy", "warm-up", "GET /api/v1/persons/{id}", $"person:{i}", ["identity"], 200))]);
    }

    [OneTimeSetUp]
    public async Task StartBrowser() => (_playwright, _browser) = await Browser.LaunchAsync();

    [OneTimeTearDown]
    public async Task StopBrowser()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }

    async Task<IPage> SignedIn(string name, string password)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = Address!.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/steward");
        await Expect(page).ToHaveURLAsync(new Regex("/steward/signin"));
        await page.Locator("#name").FillAsync(name);
        await page.Locator("#password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Review queue");
        return page;
    }

    async Task<T> Scalar<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    Task<long> GoldenOf(long source) => Scalar<long>("select golden_id from golden_member where source_record_id = @source", new { source });

    async Task<string> Eligibility(long personId)
    {
        using var http = new HttpClient { BaseAddress = Address };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/eligibility/STR2025/check") { Content = JsonContent.Create(new { person_id = personId }) };
        request.Headers.Add("X-Api-Key", _policyKey);
        request.Headers.Add("X-Purpose", "workbench test");
        using var response = await http.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("decision").GetString()!;
    }

    [GeneratedRegex(@"/steward/review/(\d+)/(\d+)$")]
    private static partial Regex ReviewLink();

    [Test]
    public async Task A_steward_merges_keeps_apart_splits_and_corrects_and_everything_follows_and_survives_a_full_rematch()
    {
        var page = await SignedIn("amina", AminaPassword);
        await Browser.ScreenshotAsync(page, "queue");
        // Pairs a steward may merge: not two people the registration department holds under two MyKads.
        async Task<List<(long A, long B)>> Queue() =>
            (await page.Locator("#queue tbody tr:not(.registered-apart) a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))"))
            .Select(href => ReviewLink().Match(href)).Select(m => (long.Parse(m.Groups[1].Value), long.Parse(m.Groups[2].Value))).ToList();
        var pairs = await Queue();
        Assert.That(pairs, Has.Count.GreaterThanOrEqualTo(2), "the demo leaves doubtful pairs for stewards");
        var householdVersionsBefore = await Scalar<long>("select count(*) from golden_household_history");

        // Merge the first pair, with the keyboard: claim, 1 = same person, / = the reason.
        var merge = pairs[0];
        await page.Locator("#queue tbody tr:not(.registered-apart) a").First.ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync($"Are records {merge.A} and {merge.B} the same person?");
        await Expect(page.Locator("#side-by-side")).ToContainTextAsync("date of birth");
        await Browser.ScreenshotAsync(page, "review");
        await page.GetByRole(AriaRole.Button, new() { Name = "Claim this item" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("You hold this item");
        await page.Locator("body").PressAsync("1");
        await page.Locator("body").PressAsync("/");
        await page.Keyboard.TypeAsync("same person: old IC on the pension record matches the JPN birth record");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("Merged");
        Assert.That(await GoldenOf(merge.A), Is.EqualTo(await GoldenOf(merge.B)), "merged at once");
        // The flash links to the person the merge made, and the decided pair keeps its evidence in view.
        await Expect(page.Locator(".flash a.result").First).ToHaveAttributeAsync("href", $"/steward/person/{await GoldenOf(merge.A)}");
        await page.Locator(".flash a.result", new() { HasTextString = "the decided pair" }).ClickAsync();
        await Expect(page.Locator("#decision")).ToContainTextAsync("same person");
        await Expect(page.Locator("#total-weight")).ToBeVisibleAsync();
        await Expect(page.Locator("#side-by-side")).ToContainTextAsync("date of birth: ");
        await page.GotoAsync("/steward");

        // Keep another pair apart (one that shares no record with the first), from the queue as it is now.
        var apart = (await Queue()).First(p => p.A != merge.A && p.A != merge.B && p.B != merge.A && p.B != merge.B);
        await page.GotoAsync($"/steward/review/{apart.A}/{apart.B}");
        await page.GetByLabel("Different people (keep apart for good)").CheckAsync();
        await page.Locator("#reason").FillAsync("twins: same birth date, different names and birth certificate numbers");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("Kept apart");
        Assert.That(await GoldenOf(apart.A), Is.Not.EqualTo(await GoldenOf(apart.B)));

        // Two stewards on one item: the supervisor has it open, amina decides first; the second decision is refused,
        // saying who decided what, and the first stands.
        var supervisor = await SignedIn("siti", SitiPassword);
        var both = (await Queue()).First(p => !touchedSoFar().Contains(p.A) && !touchedSoFar().Contains(p.B));
        long[] touchedSoFar() => [merge.A, merge.B, apart.A, apart.B];
        await supervisor.GotoAsync($"/steward/review/{both.A}/{both.B}");
        await page.GotoAsync($"/steward/review/{both.A}/{both.B}");
        await page.GetByLabel("Not sure (defer with a note)").CheckAsync();
        await page.Locator("#reason").FillAsync("asked JPN for the birth certificates");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("Deferred");
        await page.GotoAsync($"/steward/review/{both.A}/{both.B}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Claim this item" }).ClickAsync();
        await supervisor.GetByLabel("Same person (merge)").CheckAsync();
        await supervisor.Locator("#reason").FillAsync("same person");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync();
        await Expect(supervisor.Locator(".problem")).ToContainTextAsync("claimed by amina");
        Assert.That(await Scalar<long>("select count(*) from match_decision where source_a = @A and source_b = @B", new { both.A, both.B }), Is.Zero, "nothing was decided over amina's claim");

        // Split a golden person: its newest source record leaves.
        var touched = new[] { merge.A, merge.B, apart.A, apart.B };
        var split = await Scalar<long>("""
            select golden_id from golden_member group by golden_id
            having count(*) >= 3 and not bool_or(source_record_id = any(@touched)) order by golden_id desc limit 1
            """, new { touched });
        var leaving = await Scalar<long>("select max(source_record_id) from golden_member where golden_id = @split", new { split });
        await page.GotoAsync($"/steward/person/{split}");
        await page.Locator($"#leave-{leaving}").CheckAsync();
        await page.Locator("#split-reason").FillAsync("the pension record belongs to a namesake in another state");
        await page.GetByRole(AriaRole.Button, new() { Name = "Split" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("Split:");
        var leftTo = await GoldenOf(leaving);
        await Expect(page.Locator(".flash a.result").First).ToHaveAttributeAsync("href", $"/steward/person/{leftTo}");
        Assert.That(leftTo, Is.Not.EqualTo(split));
        Assert.That(await GoldenOf(await Scalar<long>("select min(source_record_id) from golden_member where golden_id = @split", new { split })),
            Is.EqualTo(split), "the larger part keeps the id");

        // Correct the citizenship of a household head whose household STR2025 pays today.
        long? head = null;
        foreach (var candidate in (await new NpgsqlConnection(ConnectionString).QueryAsync<long>(
                     "select golden_id from golden_household_member where role = 'head' order by household_id limit 40")))
        {
            if (await Eligibility(candidate) == "eligible")
            {
                head = candidate;
                break;
            }
        }
        Assert.That(head, Is.Not.Null, "some demo household is eligible for STR2025");
        var household = await Scalar<long>("select household_id from golden_household_member where golden_id = @head", new { head });
        await page.GotoAsync($"/steward/household/{household}");
        await Expect(page.Locator("#eligibility-STR2025 h3")).ToContainTextAsync("STR2025: eligible");
        // Amounts, rules and values read as words: no "RM 1,000 RM a year", no "person.alive == true", no True/False.
        await Expect(page.Locator("#eligibility-STR2025 h3")).ToContainTextAsync(new Regex(@"RM [\d,]+ a year"));
        var rules = await page.Locator("#eligibility-STR2025 table").InnerTextAsync();
        Assert.That(rules, Does.Not.Contain("==").And.Not.Contain("True").And.Not.Contain("False").And.Not.Contain("RM RM"));
        await page.GotoAsync($"/steward/person/{head}");
        await page.Locator("#correct select[name=attribute]").SelectOptionAsync("citizenship");
        await page.Locator("#correct input[name=value]").FillAsync("permanent_resident");
        await page.Locator("#correct-reason").FillAsync("holds a red IC (MyPR); JPN citizenship flag wrong since the 2019 migration");
        await page.GetByRole(AriaRole.Button, new() { Name = "Correct" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("is in force");
        await Expect(page.Locator("#attributes tr[data-attribute=citizenship]")).ToContainTextAsync("PERMANENT_RESIDENT");
        await Expect(page.Locator("#attributes tr[data-attribute=citizenship]")).ToContainTextAsync("corrected by amina");
        await Browser.ScreenshotAsync(page, "person");
        await page.GotoAsync($"/steward/household/{household}");
        await Expect(page.Locator("#eligibility-STR2025 h3")).ToContainTextAsync("STR2025: not eligible");
        await Browser.ScreenshotAsync(page, "household");
        Assert.That(await Eligibility(head!.Value), Is.EqualTo("not_eligible"), "the policy systems' answer changes too");

        // Households followed: new versions were written, and no household holds a person who no longer exists.
        Assert.That(await Scalar<long>("select count(*) from golden_household_history"), Is.GreaterThan(householdVersionsBefore));
        Assert.That(await Scalar<long>("""
            select count(*) from golden_household_member m join golden_person g on g.id = m.golden_id where g.status <> 'active'
            """), Is.Zero);

        // The audit trail: each action, by whom and why.
        await page.GotoAsync("/steward/audit");
        var trail = page.Locator("#steward-actions");
        foreach (var action in new[] { "same", "different", "split", "correct" })
        {
            await Expect(trail.Locator("tr", new() { HasText = action })).Not.ToHaveCountAsync(0);
        }
        await Expect(trail).ToContainTextAsync("twins: same birth date");
        await Expect(page.Locator("#access-audit")).ToHaveCountAsync(0);
        Assert.That(await Scalar<long>("select count(*) from access_audit where client_name = 'steward:amina' and subject = @s",
            new { s = $"person:{head}" }), Is.GreaterThan(0), "looking at a person is audited");

        // A supervisor also sees who read what, and opens the job dashboard, which a steward cannot.
        Assert.That((await page.GotoAsync("/hangfire"))!.Status, Is.EqualTo(403), "a steward is signed in but not a supervisor");
        await supervisor.GotoAsync("/steward/audit");
        await Expect(supervisor.Locator("#access-audit")).ToContainTextAsync("steward:amina");
        await Browser.ScreenshotAsync(supervisor, "audit");
        Assert.That((await supervisor.GotoAsync("/hangfire"))!.Status, Is.EqualTo(200));

        // Every decision and the correction hold through a full re-match of the same data.
        await Matching().FullRematchAsync(retrain: true);
        Assert.That(await GoldenOf(merge.A), Is.EqualTo(await GoldenOf(merge.B)), "merge holds");
        Assert.That(await GoldenOf(apart.A), Is.Not.EqualTo(await GoldenOf(apart.B)), "kept apart holds");
        Assert.That(await GoldenOf(leaving), Is.Not.EqualTo(await GoldenOf(
            await Scalar<long>("select min(source_record_id) from golden_member where golden_id = @split", new { split }))), "split holds");
        Assert.That(await Scalar<string>("select attributes->'citizenship'->>'value' from golden_person where id = @head", new { head }),
            Is.EqualTo("PERMANENT_RESIDENT"), "the correction holds");

        // Taking things back: the correction is withdrawn and the agency's value (and the household's STR) returns;
        // the merge is undone, and both stay in the log beside what they undid.
        await page.GotoAsync($"/steward/person/{head}");
        await page.Locator("#corrections input[name=reason]").FillAsync("JPN confirmed the citizenship after all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Withdraw" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("withdrawn");
        await Expect(page.Locator("#attributes tr[data-attribute=citizenship]")).ToContainTextAsync("CITIZEN");
        await Expect(page.Locator("#attributes tr[data-attribute=citizenship]")).Not.ToContainTextAsync("corrected by");
        Assert.That(await Eligibility(head.Value), Is.EqualTo("eligible"));
        await page.GotoAsync($"/steward/review/{merge.A}/{merge.B}");
        await Expect(page.Locator("#decision")).ToContainTextAsync("amina decided same person");
        await page.Locator("#undo-reason").FillAsync("the old IC belongs to his late father");
        await page.GetByRole(AriaRole.Button, new() { Name = "Undo" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("Decision undone");
        Assert.That(await Scalar<long>("select count(*) from match_decision where source_a = @A and source_b = @B", new { merge.A, merge.B }), Is.Zero);
        Assert.That(await Scalar<long>("select count(*) from steward_action where action in ('undo', 'withdraw_correction')"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_wrong_password_is_refused_and_audited_and_the_pages_need_a_sign_in()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = Address!.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/steward/person/1");
        await Expect(page).ToHaveURLAsync(new Regex("/steward/signin\\?ReturnUrl="));
        await page.Locator("#name").FillAsync("amina");
        await page.Locator("#password").FillAsync("not-her-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator(".problem")).ToContainTextAsync("do not match an account");
        Assert.That(await Scalar<long>("select count(*) from access_audit where action = 'POST /steward/signin' and client_name = 'steward:amina' and status = 401"),
            Is.GreaterThanOrEqualTo(1));
        Assert.That((await page.GotoAsync("/hangfire"))!.Status, Is.EqualTo(401), "no dashboard without a supervisor's sign-in");

        // The right password goes back to the page first asked for.
        await page.GotoAsync("/steward/person/1");
        await page.Locator("#name").FillAsync("amina");
        await page.Locator("#password").FillAsync(AminaPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/steward/person/1$"));
        await context.CloseAsync();
    }

    [Test]
    public async Task A_developer_reads_the_api_reference_at_docs_without_any_key()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = Address!.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        var outside = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(Address!.ToString().TrimEnd('/'), StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                outside.Add(request.Url);
            }
        };
        await page.GotoAsync("/docs");
        // The reference has read the document: the operations' summaries and the key scheme are on the page.
        await Expect(page.GetByText("Golden person and household events after a cursor").First).ToBeAttachedAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByText("X-Api-Key").First).ToBeAttachedAsync();
        await Expect(page.GetByText("X-Purpose").First).ToBeAttachedAsync();
        await Browser.ScreenshotAsync(page, "api-reference");
        Assert.That(outside, Is.Empty, "the reference asks nothing of the internet");
        await context.CloseAsync();
    }

    [Test]
    public async Task A_steward_finds_people_settles_a_household_conflict_and_is_told_plainly_what_is_for_supervisors()
    {
        var page = await SignedIn("amina", AminaPassword);

        // Find a person by MyKad, by name and by source record.
        var (golden, mykad, name, source) = await new NpgsqlConnection(ConnectionString).QueryFirstAsync<(long, string, string, long)>("""
            select g.id, g.mykad, g.full_name, min(m.source_record_id) from golden_person g join golden_member m on m.golden_id = g.id
            where g.status = 'active' and g.mykad is not null and g.full_name is not null group by g.id order by g.id limit 1
            """);
        foreach (var query in new[] { $"{mykad[..6]}-{mykad[6..8]}-{mykad[8..]}", name, source.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            await page.GotoAsync("/steward");
            await page.GetByRole(AriaRole.Link, new() { Name = "Find a person" }).ClickAsync();
            await page.Locator("#q").FillAsync(query);
            await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
            await Expect(page.Locator($"#hits a[href='/steward/person/{golden}']")).ToBeVisibleAsync();
        }
        await Browser.ScreenshotAsync(page, "search");
        Assert.That(await Scalar<long>("select count(*) from access_audit where action = 'GET /steward/search' and subject = @s", new { s = $"person:{golden}" }),
            Is.GreaterThanOrEqualTo(3), "each person found is audited");
        Assert.That(await Scalar<long>("select count(*) from access_audit where action = 'GET /steward/search' and (subject like '%' || @mykad || '%' or purpose like '%' || @mykad || '%')",
            new { mykad }), Is.Zero, "the query itself is not kept");

        // The demo's deltas hold a second marriage: the first wife names her husband, he names his second wife.
        await page.GotoAsync("/steward");
        var conflicts = page.Locator("#conflicts tbody tr");
        await Expect(conflicts.First).ToContainTextAsync("spouse mismatch");
        var before = await conflicts.CountAsync();
        await Browser.ScreenshotAsync(page, "conflicts");
        await conflicts.First.Locator("input[name=reason]").FillAsync("second registered wife; both marriages stand");
        await conflicts.First.GetByRole(AriaRole.Button, new() { Name = "Settle" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("settled");
        await Expect(conflicts).ToHaveCountAsync(before - 1);

        // The job dashboard is for supervisors: a steward gets a page saying so, with status 403.
        var denied = await page.GotoAsync("/hangfire");
        Assert.That(denied!.Status, Is.EqualTo(403));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Not for this account");
        await Expect(page.Locator(".problem")).ToContainTextAsync("job dashboard");

        // The audit trail pages: a supervisor goes back past the first hundred reads.
        var supervisor = await SignedIn("siti", SitiPassword);
        await supervisor.GotoAsync("/steward/audit");
        await Expect(supervisor.Locator("#access-audit tbody tr")).ToHaveCountAsync(100);
        var newest = await supervisor.Locator("#access-audit tbody tr").First.InnerTextAsync();
        await supervisor.Locator("#older-reads").ClickAsync();
        await Expect(supervisor.Locator("#access-audit tbody tr").First).Not.ToHaveTextAsync(newest);
        Assert.That(supervisor.Url, Does.Contain("reads_before="));

        // Keys and accounts, for supervisors: a key rotated (shown once, the old one refused), revoked; an account disabled.
        await supervisor.GetByRole(AriaRole.Link, new() { Name = "Keys and accounts" }).ClickAsync();
        var taxOffice = supervisor.Locator("#clients tr[data-client='tax office']");
        await taxOffice.GetByRole(AriaRole.Button, new() { Name = "Rotate" }).ClickAsync();
        var newKey = await supervisor.Locator("#new-key code").InnerTextAsync();
        await Browser.ScreenshotAsync(supervisor, "accounts");
        using (var http = new HttpClient { BaseAddress = Address })
        {
            async Task<int> Programmes(string key)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/programmes");
                request.Headers.Add("X-Api-Key", key);
                using var response = await http.SendAsync(request);
                return (int)response.StatusCode;
            }
            Assert.That(await Programmes(_taxOfficeKey), Is.EqualTo(401), "the old key stopped at once");
            Assert.That(await Programmes(newKey), Is.EqualTo(200));
        }
        await supervisor.Locator("#clients tr[data-client='tax office']").GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(supervisor.Locator("#clients tr[data-client='tax office']")).ToContainTextAsync("revoked");
        await supervisor.Locator("#stewards tr[data-steward='rahim']").GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Expect(supervisor.Locator("#stewards tr[data-steward='rahim']")).ToContainTextAsync("disabled");
        Assert.That(await Scalar<long>("""
            select count(*) from access_audit where client_name = 'operator:supervisor siti'
            and action in ('rotate API key', 'revoke API key', 'disable steward account')
            """), Is.EqualTo(3));
        Assert.That((await page.GotoAsync("/steward/accounts"))!.Status, Is.EqualTo(403), "a steward is told it is for supervisors");
    }
}
