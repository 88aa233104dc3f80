using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Npgsql;
using PaduHub.Access;

namespace PaduHub.Tests.Server;

/// <summary>
/// The read API over the matched demo population: every endpoint against every scope, purposes, field views,
/// retired-id redirects, the audit trail, streaming batches and the rate limit.
/// </summary>
[NonParallelizable]
public sealed class ReadApiTests : DemoServerFixture
{
    readonly Dictionary<string, string> _keys = [];
    long _person;           // a household head
    long _household;
    long _retiredPerson;    // merged into _survivor by a steward decision
    long _survivor;

    protected override void Configure(IWebHostBuilder host) => host.UseSetting("Padu:RateLimit:PerClientPerSecond", "40");

    protected override async Task PrepareAsync()
    {
        // A steward says two people who each live alone are one: one golden id retires into the other, and so does one
        // of their households.
        await using var connection = new NpgsqlConnection(ConnectionString);
        var (loners, _) = await DecideTwoLonersAreOneAsync(connection, "test steward");
        await Matching().FullRematchAsync(retrain: false);
        await Households().RebuildAsync();
        (_retiredPerson, _survivor) = await connection.QuerySingleAsync<(long, long)>(
            "select id, successor_id from golden_person where status = 'retired' and id = any(@loners)", new { loners });
        (_person, _household) = await connection.QuerySingleAsync<(long, long)>(
            "select golden_id, household_id from golden_household_member where role = 'head' and golden_id <> @_survivor order by golden_id limit 1", new { _survivor });
    }

    [OneTimeSetUp]
    public async Task MakeKeys()
    {
        foreach (var scope in new[] { "profile:read", "household:read", "eligibility:check", "steward", "ingest:JPN" })
        {
            _keys[scope] = (await ApiClients.CreateAsync(ConnectionString, "only " + scope, [scope])).Key;
        }
        _keys["everything"] = (await ApiClients.CreateAsync(ConnectionString, "everything",
            ["profile:read", "profile:address", "profile:income", "household:read", "eligibility:check", "steward"])).Key;
        _keys["limited"] = (await ApiClients.CreateAsync(ConnectionString, "limited", ["profile:read"])).Key;
    }

    async Task<long> AuditCount()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<long>("select count(*) from access_audit");
    }

    (string Method, string Path, object? Body, string Scope)[] Endpoints() =>
    [
        ("GET", $"/api/v1/persons/{_person}", null, "profile:read"),
        ("POST", "/api/v1/persons/lookup", new { identifier = "660328104029" }, "profile:read"),
        ("GET", $"/api/v1/persons/{_person}/household", null, "household:read"),
        ("GET", $"/api/v1/households/{_household}", null, "household:read"),
        ("POST", "/api/v1/eligibility/STR2025/check", new { household_id = _household }, "eligibility:check"),
        ("POST", "/api/v1/eligibility/BUDI95/batch", new { person_ids = new[] { _person } }, "eligibility:check"),
        ("GET", $"/api/v1/audit?subject=person:{_person}", null, "steward"),
        ("GET", "/api/v1/review?limit=5", null, "steward"),
    ];

    [Test]
    public async Task Every_endpoint_answers_only_the_scope_it_needs_and_audits_every_attempt()
    {
        foreach (var (method, path, body, needed) in Endpoints())
        {
            foreach (var scope in new[] { "profile:read", "household:read", "eligibility:check", "steward", "ingest:JPN" })
            {
                var before = await AuditCount();
                var (status, _, text) = await Send(method, path, _keys[scope], body: body);
                var expected = scope == needed ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
                Assert.That(status, Is.EqualTo(expected), $"{method} {path} with {scope}: {text}");
                // One row per subject answered: a refusal or a single read is one; a queue of five pairs is five (the
                // queue holds what matching left doubtful, so the rows are counted from the answer, one for an empty one).
                var rows = status == HttpStatusCode.OK && path.StartsWith("/api/v1/review", StringComparison.Ordinal)
                    ? Math.Max(1, JsonDocument.Parse(text).RootElement.GetArrayLength()) : 1;
                Assert.That(await AuditCount(), Is.EqualTo(before + rows), $"{method} {path} with {scope} is audited");
            }
            var wrong = await AuditCount();
            Assert.That((await Send(method, path, "padu_not-a-key", body: body)).Status, Is.EqualTo(HttpStatusCode.Unauthorized), $"{method} {path}, wrong key");
            Assert.That((await Send(method, path, null, body: body)).Status, Is.EqualTo(HttpStatusCode.Unauthorized), $"{method} {path}, no key");
            Assert.That(await AuditCount(), Is.EqualTo(wrong + 2), "refused keys are audited too");
        }
    }

    [Test]
    public async Task Personal_data_needs_a_purpose_and_the_audit_says_who_asked_why_about_whom_and_which_fields()
    {
        var (status, body, _) = await Send("GET", $"/api/v1/persons/{_person}", _keys["profile:read"], purpose: null);
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body.GetProperty("title").GetString(), Is.EqualTo("Purpose needed"));

        Assert.That((await Send("GET", $"/api/v1/persons/{_person}", _keys["everything"], purpose: "STR 2025 appeal 4411")).Status, Is.EqualTo(HttpStatusCode.OK));
        await using var connection = new NpgsqlConnection(ConnectionString);
        var row = await connection.QuerySingleAsync<(string ClientName, string Purpose, string Action, string Subject, string[] Fields, int Status)>(
            "select client_name, purpose, action, subject, fields, status from access_audit where purpose = 'STR 2025 appeal 4411'");
        Assert.That(row, Is.EqualTo(("everything", "STR 2025 appeal 4411", "GET /api/v1/persons/{id}", $"person:{_person}",
            new[] { "identity", "identifiers", "address", "income" }, 200)).Using<(string, string, string, string, string[], int)>((x, y) =>
            x.Item1 == y.Item1 && x.Item2 == y.Item2 && x.Item3 == y.Item3 && x.Item4 == y.Item4 && x.Item5.SequenceEqual(y.Item5) && x.Item6 == y.Item6));

        Assert.That(() => connection.Execute("update access_audit set purpose = 'covering tracks'"), Throws.InstanceOf<PostgresException>()
            .With.Message.Contains("append-only"));
        Assert.That(() => connection.Execute("delete from access_audit"), Throws.InstanceOf<PostgresException>().With.Message.Contains("append-only"));

        var (auditStatus, audit, _) = await Send("GET", $"/api/v1/audit?subject=person:{_person}", _keys["steward"]);
        Assert.That(auditStatus, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(audit.EnumerateArray().Select(r => r.GetProperty("purpose").GetString()), Does.Contain("STR 2025 appeal 4411"));
    }

    [Test]
    public async Task Address_and_income_are_given_only_to_clients_scoped_for_them()
    {
        var limited = (await Send("GET", $"/api/v1/persons/{_person}", _keys["limited"])).Body;
        Assert.That(limited.TryGetProperty("address", out var a) && a.ValueKind != JsonValueKind.Null, Is.False, "no profile:address, no address");
        Assert.That(limited.TryGetProperty("income", out var i) && i.ValueKind != JsonValueKind.Null, Is.False);
        Assert.That(limited.GetProperty("identity").GetProperty("full_name").GetProperty("verified").GetBoolean(), Is.True);
        Assert.That(limited.GetProperty("identity").GetProperty("full_name").GetProperty("agency").GetString(), Is.EqualTo("JPN"));

        var full = (await Send("GET", $"/api/v1/persons/{_person}", _keys["everything"])).Body;
        Assert.That(full.GetProperty("address").ValueKind, Is.EqualTo(JsonValueKind.Object));

        var check = (await Send("POST", "/api/v1/eligibility/STR2025/check", _keys["eligibility:check"], body: new { household_id = _household })).Body;
        var incomeRule = check.GetProperty("rules").EnumerateArray().First(r => r.GetProperty("fact").GetString() == "household.monthly_income");
        Assert.That(incomeRule.GetProperty("value").GetString(), Is.EqualTo("withheld"), "an eligibility client sees the outcome, not the income");
        Assert.That(incomeRule.GetProperty("source").GetString(), Does.Match(@"^(no tax or pension records|household income from .*\d{4})"),
            "which agencies' figures, for which period");
        Assert.That(check.GetProperty("decision").GetString(), Is.AnyOf("eligible", "not_eligible", "undetermined"));

        var household = (await Send("GET", $"/api/v1/households/{_household}", _keys["household:read"])).Body;
        Assert.That(household.GetProperty("members").GetArrayLength(), Is.GreaterThan(0));
        Assert.That(household.TryGetProperty("income", out var hi) && hi.ValueKind != JsonValueKind.Null, Is.False);
    }

    /// <summary>A head whose golden record lacks an address field (a record with no town): the household answers without it, not with a 500.</summary>
    [Test]
    public async Task A_household_whose_head_lacks_an_address_field_answers_without_it()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        var household = await connection.ExecuteScalarAsync<long>("""
            update golden_household set address = address || '{"town": null}'
            where id = (select max(id) from golden_household where status = 'active' and address ? 'town' and id <> @skip) returning id
            """, new { skip = _household });
        var (status, body, _) = await Send("GET", $"/api/v1/households/{household}", _keys["everything"]);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("address").TryGetProperty("town", out _), Is.False);
        Assert.That(body.GetProperty("address").TryGetProperty("postcode", out _), Is.True);
    }

    [Test]
    public async Task A_retired_id_answers_with_its_successor()
    {
        var (status, body, _) = await Send("GET", $"/api/v1/persons/{_retiredPerson}", _keys["profile:read"]);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("id").GetInt64(), Is.EqualTo(_survivor));
        Assert.That(body.GetProperty("redirected_from").GetInt64(), Is.EqualTo(_retiredPerson));

        var check = (await Send("POST", "/api/v1/eligibility/BUDI95/check", _keys["eligibility:check"], body: new { person_id = _retiredPerson })).Body;
        Assert.That(check.GetProperty("person_id").GetInt64(), Is.EqualTo(_survivor));
        Assert.That(check.GetProperty("redirected_from").GetInt64(), Is.EqualTo(_retiredPerson));

        await using var connection = new NpgsqlConnection(ConnectionString);
        if (await connection.QuerySingleOrDefaultAsync<(long Id, long Successor)?>(
                "select id, successor_id from golden_household where status = 'retired' limit 1") is { } retiredHousehold)
        {
            var household = (await Send("GET", $"/api/v1/households/{retiredHousehold.Id}", _keys["household:read"])).Body;
            Assert.That(household.GetProperty("id").GetInt64(), Is.EqualTo(retiredHousehold.Successor));
            Assert.That(household.GetProperty("redirected_from").GetInt64(), Is.EqualTo(retiredHousehold.Id));
        }
        else
        {
            Assert.Fail("merging two household heads should have retired one of their households");
        }
    }

    [Test]
    public async Task A_lookup_by_an_old_ic_finds_the_person_and_unknown_ids_answer_404()
    {
        var (status, body, _) = await Send("POST", "/api/v1/persons/lookup", _keys["profile:read"], body: new { identifier = "A1613951", kind = "old_ic" });
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("matches")[0].GetProperty("identity").GetProperty("full_name").GetProperty("value").GetString(), Is.EqualTo("KANNAN A/L RAJ"));

        Assert.That((await Send("POST", "/api/v1/persons/lookup", _keys["profile:read"], body: new { identifier = "999999999999" })).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Send("POST", "/api/v1/persons/lookup", _keys["profile:read"], body: new { identifier = "-" })).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        var (malformed, problem, _) = await Send("POST", "/api/v1/eligibility/STR2025/check", _keys["eligibility:check"], body: new { person_id = "not a number" });
        Assert.That(malformed, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("from the request body as JSON"));
        Assert.That((await Send("GET", "/api/v1/persons/987654321", _keys["profile:read"])).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Send("POST", "/api/v1/eligibility/NOPE/check", _keys["eligibility:check"], body: new { person_id = _person })).Status,
            Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_batch_streams_one_answer_per_id_and_audits_each_subject()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        var ids = (await connection.QueryAsync<long>("select id from golden_household where status = 'active' order by id")).ToArray();
        var before = await AuditCount();

        var (status, _, text) = await Send("POST", "/api/v1/eligibility/STR2025/batch", _keys["eligibility:check"],
            body: new { household_ids = ids.Append(987654321).ToArray() });

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.That(lines, Has.Count.EqualTo(ids.Length + 1));
        Assert.That(lines[^1].GetProperty("error").GetString(), Does.Contain("no golden household"));
        Assert.That(lines.Take(ids.Length).Select(l => l.GetProperty("answer").GetProperty("decision").GetString()).Distinct(),
            Is.SubsetOf(new[] { "eligible", "not_eligible", "undetermined" }));
        Assert.That(lines.Count(l => l.TryGetProperty("answer", out var a) && a.GetProperty("decision").GetString() == "eligible"), Is.GreaterThan(0));
        Assert.That(await AuditCount(), Is.EqualTo(before + ids.Length + 1), "one audit row per household asked about, found or not");
        var unknown = await connection.QuerySingleAsync<int>(
            "select status from access_audit where subject = 'household:987654321' order by id desc limit 1");
        Assert.That(unknown, Is.EqualTo(404), "an id that was not found leaves a trace: a batch cannot probe which ids exist");

        var tooMany = await Send("POST", "/api/v1/eligibility/BUDI95/batch", _keys["eligibility:check"], body: new { person_ids = new long[100_001] });
        Assert.That(tooMany.Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    /// <summary>
    /// A new client's key, used once so the hub knows it: its first request comes out of the shared bucket, which a test
    /// before may have just emptied (20 a second), so it is retried for up to three seconds; from then on it has its own.
    /// </summary>
    async Task<string> ProvenKeyAsync(string name)
    {
        var key = (await ApiClients.CreateAsync(ConnectionString, name, ["eligibility:check"])).Key;
        var first = (await Send("GET", "/api/v1/programmes", key)).Status;
        for (var wait = 0; first == HttpStatusCode.TooManyRequests && wait < 30; wait++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            first = (await Send("GET", "/api/v1/programmes", key)).Status;
        }
        Assert.That(first, Is.EqualTo(HttpStatusCode.OK), "a new client's first request");
        return key;
    }

    [Test]
    public async Task A_client_over_its_rate_answers_429()
    {
        var key = await ProvenKeyAsync("chatty");
        var statuses = new List<HttpStatusCode>();
        // 40 a second with a full bucket of 40: 200 requests trip it unless they take five seconds.
        for (var i = 0; i < 200; i++)
        {
            statuses.Add((await Send("GET", "/api/v1/programmes", key)).Status);
        }
        Assert.That(statuses, Does.Contain(HttpStatusCode.TooManyRequests));
        Assert.That(statuses.Take(10), Is.All.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Invented_keys_share_one_small_bucket_and_never_touch_a_real_client_s()
    {
        var real = await ProvenKeyAsync("steady");
        await using var connection = new NpgsqlConnection(ConnectionString);
        var auditedBefore = await connection.QuerySingleAsync<long>("select count(*) from access_audit where status = 401");

        var guesses = new List<HttpStatusCode>();
        for (var i = 0; i < 300; i++)
        {
            guesses.Add((await Send("GET", "/api/v1/programmes", $"padu_guess{i:D4}{Guid.NewGuid():N}")).Status);
            if (i % 50 == 0)
            {
                Assert.That((await Send("GET", "/api/v1/programmes", real)).Status, Is.EqualTo(HttpStatusCode.OK), "a real client's bucket is its own");
            }
        }

        var refused = guesses.Count(s => s == HttpStatusCode.Unauthorized);
        Assert.That(guesses.Count(s => s == HttpStatusCode.TooManyRequests), Is.GreaterThan(200), "guesses run out of the shared bucket");
        Assert.That(refused, Is.LessThan(100));
        var audited = await connection.QuerySingleAsync<long>("select count(*) from access_audit where status = 401") - auditedBefore;
        Assert.That(audited, Is.EqualTo(refused), "one audit row per guess that got as far as the gate, none for the rest");
        // Leave the shared bucket full for the tests after this one, whose new keys start in it.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
    }

    [Test]
    public async Task A_flood_of_sign_ins_is_refused_before_passwords_are_checked()
    {
        using var client = Server!.CreateClient();
        var form = await client.GetStringAsync(new Uri("/steward/signin", UriKind.Relative));
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.That(token, Is.Not.Empty);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            using var content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Name"] = $"nobody{i:D2}",
                ["Password"] = "a guess",
                ["__RequestVerificationToken"] = token,
            });
            using var response = await client.PostAsync(new Uri("/steward/signin", UriKind.Relative), content);
            return response.StatusCode;
        }));
        var seconds = clock.Elapsed.TotalSeconds;

        Assert.That(statuses.Count(s => s == HttpStatusCode.TooManyRequests), Is.GreaterThan(20), "most of the flood is turned away");
        await using var connection = new NpgsqlConnection(ConnectionString);
        var audited = await connection.QueryAsync<int>("select status from access_audit where action = 'POST /steward/signin' and client_name like 'steward:nobody%'");
        var checkedPasswords = audited.Count(s => s == 401);
        Assert.That(audited.Count(), Is.EqualTo(40), "every attempt is audited, refused or checked");
        Assert.That(checkedPasswords, Is.LessThanOrEqualTo(4 + (int)Math.Ceiling(4 * seconds)), "at most four password checks a second, after a burst of four");
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the throttle refilled for whoever signs in next
    }

    [Test]
    public async Task Pages_carry_a_content_security_policy_and_answers_refuse_sniffing_and_framing()
    {
        using var client = Server!.CreateClient();
        using var page = await client.GetAsync(new Uri("/steward/signin", UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        var nonce = System.Text.RegularExpressions.Regex.Match(policy, "'nonce-([^']+)'").Groups[1].Value;
        Assert.That(policy, Does.Contain("default-src 'self'").And.Contain("frame-ancestors 'none'"));
        Assert.That(html, Does.Contain($"<style nonce=\"{nonce}\">"), "the page's own style carries this answer's nonce");
        Assert.That(html, Does.Not.Contain("style=\""), "no inline style attributes, which the policy would block");
        Assert.That(page.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        Assert.That(page.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"));
        using var api = await client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.That(api.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
    }

    [Test]
    public void Characters_that_reorder_a_name_are_shown_as_a_mark_not_obeyed()
    {
        var encoder = new PaduHub.Server.Pages.BidiSafeHtmlEncoder(System.Text.Encodings.Web.HtmlEncoder.Default);
        var shown = encoder.Encode("AHMAD \u202EDASSAH\u202C BIN ALI <b>");
        Assert.That(shown.Contains('\u202E', StringComparison.Ordinal) || shown.Contains('\u202C', StringComparison.Ordinal), Is.False);
        Assert.That(shown, Is.EqualTo("AHMAD &#xFFFD;DASSAH&#xFFFD; BIN ALI &lt;b&gt;"));
        Assert.That(encoder.Encode("SITI NUR AISYAH"), Is.EqualTo("SITI NUR AISYAH"));
    }

    [Test]
    public async Task Answers_with_personal_data_are_not_kept_in_caches()
    {
        using var client = Server!.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/persons/{_person}");
        request.Headers.Add("X-Api-Key", _keys["profile:read"]);
        request.Headers.Add("X-Purpose", "test");
        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        using var page = await client.GetAsync(new Uri("/steward/signin", UriKind.Relative));
        Assert.That(page.Headers.CacheControl?.NoStore, Is.True);
    }

    [Test]
    public async Task The_openapi_document_lists_the_read_api()
    {
        var (status, body, _) = await Send("GET", "/openapi/v1.json", null, purpose: null);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var paths = body.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(paths, Does.Contain("/api/v1/persons/{id}").And.Contain("/api/v1/persons/lookup").And.Contain("/api/v1/eligibility/{programme}/batch"));
    }
}
