using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using PaduHub.Access;
using PaduHub.Ingestion;

namespace PaduHub.Tests.Server;

/// <summary>Two stewards working the review queue of the matched demo population through the API.</summary>
[NonParallelizable]
public sealed class ReviewApiTests : DemoServerFixture
{
    string _amina = "";
    string _boon = "";
    string _siti = "";
    string _policy = "";

    [OneTimeSetUp]
    public async Task MakeKeys()
    {
        _amina = (await ApiClients.CreateAsync(ConnectionString, "amina", ["steward"])).Key;
        _boon = (await ApiClients.CreateAsync(ConnectionString, "boon", ["steward"])).Key;
        _siti = (await ApiClients.CreateAsync(ConnectionString, "siti", ["steward", ApiClient.SupervisorScope])).Key;
        _policy = (await ApiClients.CreateAsync(ConnectionString, "policy", ["profile:read"])).Key;
    }

    protected override async Task PrepareAsync()
    {
        await LoadDoubtfulAccountsAsync(new ExtractLoader(ConnectionString, AgencyContracts.Load(), Path.Combine(Home, "spool")), sequence: 1);
        await Matching().MatchQueuedAsync();
    }

    async Task<List<JsonElement>> Queue()
    {
        var (status, body, _) = await Send("GET", "/api/v1/review?limit=500", _amina);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        return body.EnumerateArray().ToList();
    }

    /// <summary>Items a steward (not only a supervisor) may merge: not two people the registration holds apart.</summary>
    async Task<List<JsonElement>> Mergeable() => [.. (await Queue()).Where(q => !q.GetProperty("registered_apart").GetBoolean())];

    static (long A, long B) Pair(JsonElement item) => (item.GetProperty("source_a").GetInt64(), item.GetProperty("source_b").GetInt64());

    [Test]
    public async Task The_queue_shows_each_pair_with_both_records_and_why_it_scored_as_it_did_to_stewards_only()
    {
        var queue = await Queue();
        Assert.That(queue, Is.Not.Empty);
        var first = queue[0];
        Assert.That(first.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("field").GetString()), Does.Contain("full_name"));
        Assert.That(first.GetProperty("a").GetProperty("agency").GetString(), Is.Not.Empty);
        Assert.That(queue.Select(q => q.GetProperty("household_impact").GetInt32()), Is.Ordered.Descending, "larger households first");
        Assert.That((await Send("GET", "/api/v1/review", _policy)).Status, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Explain_shows_why_a_queued_pair_scored_as_it_did_level_by_level_and_no_values()
    {
        var item = (await Queue())[0];
        var (a, b) = Pair(item);

        var (status, body, _) = await Send("GET", $"/api/v1/review/explain/{a}/{b}", _amina);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        // Queued pairs score at least the review threshold; some above the link one wait for other reasons (they would chain).
        Assert.That(body.GetProperty("verdict").GetString(), Is.AnyOf("for review", "linked"));
        Assert.That(body.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("field").GetString()),
            Is.EquivalentTo(item.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("field").GetString())));
        Assert.That(body.GetProperty("model").GetString(), Is.Not.Empty);
        Assert.That(body.GetRawText(), Does.Not.Contain(item.GetProperty("a").GetProperty("full_name").GetString() ?? "\u0000"), "levels, not values");
        Assert.That((await Send("GET", $"/api/v1/review/explain/{a}/{b}", _policy)).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Send("GET", "/api/v1/review/explain/999999999998/999999999999", _amina)).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task The_model_in_use_shows_its_check_levels_and_own_estimate_without_term_frequencies()
    {
        var (status, body, _) = await Send("GET", "/api/v1/review/model", _amina);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var model = body.GetProperty("model");
        Assert.That(model.GetProperty("sanity").GetProperty("verdict").GetString(), Is.Not.Empty);
        var comparisons = model.GetProperty("comparisons").EnumerateArray().ToList();
        Assert.That(comparisons.Select(c => c.GetProperty("name").GetString()), Does.Contain("date_of_birth"));
        var exact = comparisons.First(c => c.GetProperty("name").GetString() == "date_of_birth").GetProperty("levels")[0];
        Assert.That(exact.GetProperty("name").GetString(), Is.EqualTo("exact"), "closest level first");
        Assert.That(exact.GetProperty("weight").GetDouble(), Is.GreaterThan(0));
        var estimate = model.GetProperty("estimate");
        Assert.That(estimate.GetProperty("expected_matches").GetDouble(), Is.GreaterThan(0), "the newest full run's own estimate, from match_run");
        Assert.That(estimate.GetProperty("precision_at_link").GetDouble(), Is.InRange(0.0, 1.0));
        Assert.That(body.GetRawText(), Does.Not.Contain("value_counts"), "agreed values are personal data");
        Assert.That((await Send("GET", "/api/v1/review/model", _policy)).Status, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task A_spouse_naming_someone_else_reaches_the_stewards_household_questions()
    {
        // The registration department now says X's spouse is Z, while Z still names their own spouse: STR's AB against BC.
        var jpn = Path.Combine(Repository.Root, "samples", "demo", "extracts", "jpn_full.csv");
        var rows = DelimitedFile.Read(jpn, Encoding.UTF8, ',');
        var married = rows.Where(r => r["NO_KP_PASANGAN"].Length == 12).ToList();
        var x = married[0];
        var z = married.First(r => r["NO_KP"] != x["NO_KP_PASANGAN"] && r["NO_KP"] != x["NO_KP"] && r["NO_KP_PASANGAN"] != x["NO_KP"]);
        var header = File.ReadLines(jpn).First();
        var changed = header.Split(',').Select(column => column == "NO_KP_PASANGAN" ? z["NO_KP"] : x[column]).Select(Quote);
        var delta = Path.Combine(Home, "jpn_delta_0001.csv");
        await File.WriteAllTextAsync(delta, $"OP,SEQ,{header}\nU,1,{string.Join(',', changed)}\n");
        var loader = new ExtractLoader(ConnectionString, AgencyContracts.Load(), Path.Combine(Home, "spool"));
        Assert.That((await loader.LoadAsync(new ExtractRequest("JPN", delta, "jpn_delta_0001.csv", "cli"))).Status, Is.EqualTo("loaded"));
        await Matching().MatchQueuedAsync();
        var report = await Households().RebuildAsync();
        Assert.That(report.Conflicts, Is.GreaterThan(0));

        var (status, body, _) = await Send("GET", "/api/v1/review/households?kind=spouse_mismatch", _amina);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        await using var connection = new NpgsqlConnection(ConnectionString);
        var xGolden = await connection.ExecuteScalarAsync<long>("select id from golden_person where mykad = @m and status = 'active' and (attributes->'mykad'->>'verified')::bool", new { m = x["NO_KP"] });
        // X names Z who names another, and X's old spouse names X who now names Z: two questions, both about X.
        var aboutX = body.EnumerateArray().Where(c => c.GetProperty("golden_ids").EnumerateArray().Select(g => g.GetInt64()).Contains(xGolden)).ToList();
        Assert.That(aboutX, Has.Count.EqualTo(2));
        Assert.That(aboutX.Select(c => c.GetProperty("detail").GetString()), Is.All.Contains("names a different spouse"));
        Assert.That((await Send("GET", "/api/v1/review/households", _policy)).Status, Is.EqualTo(HttpStatusCode.Forbidden));

        // A steward settles one (a second registered wife, say): it closes with who and why, and stays closed when
        // formation, still seeing it, runs again.
        var settle = aboutX[0].GetProperty("id").GetInt64();
        Assert.That((await Send("POST", $"/api/v1/review/households/{settle}/settle", _amina, body: new { reason = "" })).Status,
            Is.EqualTo(HttpStatusCode.BadRequest), "a reason is needed");
        Assert.That((await Send("POST", $"/api/v1/review/households/{settle}/settle", _amina, body: new { reason = "second registered wife; both marriages valid" })).Status,
            Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Send("POST", $"/api/v1/review/households/{settle}/settle", _amina, body: new { reason = "again" })).Status,
            Is.EqualTo(HttpStatusCode.NotFound), "already settled");
        await Households().RebuildAllAsync();
        var open = (await Send("GET", "/api/v1/review/households?kind=spouse_mismatch", _amina)).Body.EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).ToList();
        Assert.That(open, Does.Not.Contain(settle));
        Assert.That(await connection.ExecuteScalarAsync<string>("select resolved_by from household_conflict where id = @settle", new { settle }), Is.EqualTo("steward amina"));
        Assert.That(await connection.ExecuteScalarAsync<int>("select count(*) from steward_action where action = 'settle_conflict'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Two_people_the_registration_holds_under_different_mykads_merge_only_by_a_supervisor()
    {
        // Twins as matching queues them: two registration records, each its own golden person, held apart.
        await using var connection = new NpgsqlConnection(ConnectionString);
        var (a, b) = await connection.QuerySingleAsync<(long, long)>("""
            select min(s.id), max(s.id) from (
                select s.id from source_record s join golden_member m on m.source_record_id = s.id
                where s.agency_code = 'JPN' and s.status = 'active'
                  and not exists (select 1 from match_pair p where s.id in (p.source_a, p.source_b))
                order by s.id desc limit 2) s
            """);
        await connection.ExecuteAsync("""
            insert into match_pair (source_a, source_b, weight, probability, fields, reason) values (@a, @b, 12, 0.999, '[]', 'different_verified_mykad')
            """, new { a, b });

        var (refused, body, _) = await Send("POST", $"/api/v1/review/{a}/{b}/decision", _boon, body: new { decision = "same", reason = "look alike" });
        Assert.That(refused, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(body.GetProperty("detail").GetString(), Does.Contain("registration department holds these as two people").And.Contain("supervisor"));
        Assert.That(await connection.ExecuteScalarAsync<int>("select count(*) from match_decision where source_a = @a and source_b = @b", new { a, b }), Is.Zero);

        var (merged, _, _) = await Send("POST", $"/api/v1/review/{a}/{b}/decision", _siti, body: new { decision = "same", reason = "one person registered twice; JPN confirmed by letter" });
        Assert.That(merged, Is.EqualTo(HttpStatusCode.OK), "a supervisor may, with a reason");
        Assert.That(await connection.ExecuteScalarAsync<long>("select count(distinct golden_id) from golden_member where source_record_id in (@a, @b)", new { a, b }),
            Is.EqualTo(1));
    }

    [Test]
    public async Task A_decision_can_be_undone_with_a_reason_and_both_stay_in_the_log()
    {
        var (a, b) = Pair((await Mergeable())[1]);
        await using var connection = new NpgsqlConnection(ConnectionString);
        async Task<long> GoldenOf(long source) =>
            await connection.ExecuteScalarAsync<long>("select golden_id from golden_member where source_record_id = @source", new { source });
        var (goldenA, goldenB) = (await GoldenOf(a), await GoldenOf(b));
        Assert.That((await Send("POST", $"/api/v1/review/{a}/{b}/decision", _amina, body: new { decision = "same", reason = "looked alike" })).Status,
            Is.EqualTo(HttpStatusCode.OK));
        var merged = await GoldenOf(a);
        var mergedAway = merged == goldenA ? goldenB : goldenA;
        Assert.That(await GoldenOf(b), Is.EqualTo(merged));

        var (refused, _, _) = await Send("POST", $"/api/v1/review/{a}/{b}/undo", _boon, body: new { reason = "I think not" });
        Assert.That(refused, Is.EqualTo(HttpStatusCode.Conflict), "only the decider or a supervisor may undo");

        var (status, _, _) = await Send("POST", $"/api/v1/review/{a}/{b}/undo", _siti, body: new { reason = "different mothers on the birth records" });

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await GoldenOf(a), await GoldenOf(b)), Is.EqualTo((goldenA, goldenB)), "each record is back under the id it had before the merge");
        Assert.That(await connection.ExecuteScalarAsync<string>("select status from golden_person where id = @mergedAway", new { mergedAway }), Is.EqualTo("active"));
        Assert.That(await connection.ExecuteScalarAsync<string>(
            "select change from golden_person_history where golden_id = @mergedAway order by version desc limit 1", new { mergedAway }), Is.EqualTo("restored"));
        var (person, body, _) = await Send("GET", $"/api/v1/persons/{mergedAway}", _policy);
        Assert.That((person, body.GetProperty("id").GetInt64()), Is.EqualTo((HttpStatusCode.OK, mergedAway)), "the old id answers its own person, not a redirect");
        Assert.That(await connection.ExecuteScalarAsync<int>("select count(*) from match_decision where source_a = @a and source_b = @b", new { a, b }), Is.Zero);
        var log = (await connection.QueryAsync<(string Steward, string Action, string Reason)>(
            "select steward, action, reason from steward_action where source_a = @a and source_b = @b order by id", new { a, b })).ToList();
        Assert.That(log, Is.EqualTo(new[] { ("amina", "same", "looked alike"), ("siti", "undo", "different mothers on the birth records") }));
        Assert.That((await Send("POST", $"/api/v1/review/{a}/{b}/undo", _amina, body: new { reason = "again" })).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_split_takes_records_out_of_a_golden_person_for_good()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        var golden = await connection.ExecuteScalarAsync<long>(
            "select golden_id from golden_member group by golden_id having count(*) >= 3 order by golden_id limit 1");
        var members = (await connection.QueryAsync<long>("select source_record_id from golden_member where golden_id = @golden order by 1", new { golden })).ToArray();
        var leaving = members[^1];

        var (status, body, _) = await Send("POST", $"/api/v1/golden/{golden}/split", _amina,
            body: new { leaving = new[] { leaving }, reason = "a namesake's pension record" });

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        async Task<long> GoldenOf(long source) =>
            await connection.ExecuteScalarAsync<long>("select golden_id from golden_member where source_record_id = @source", new { source });
        Assert.That(await GoldenOf(leaving), Is.Not.EqualTo(await GoldenOf(members[0])), "split at once");
        Assert.That(await GoldenOf(members[0]), Is.EqualTo(golden), "the larger part keeps the id");
        await Matching().FullRematchAsync(retrain: false);
        Assert.That(await GoldenOf(leaving), Is.Not.EqualTo(await GoldenOf(members[0])), "still split after a full re-match");
        Assert.That(await connection.ExecuteScalarAsync<int>("select count(*) from steward_action where action = 'split' and golden_id = @golden", new { golden }),
            Is.EqualTo(1));

        Assert.That((await Send("POST", $"/api/v1/golden/{golden}/split", _amina, body: new { leaving = new[] { 1L << 40 }, reason = "x" })).Status,
            Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Send("POST", $"/api/v1/golden/{golden}/split", _amina, body: new { leaving = members, reason = "x" })).Status,
            Is.EqualTo(HttpStatusCode.BadRequest), "something must stay");
    }

    static string Quote(string field) => field.Contains(',') || field.Contains('"') ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;

    [Test]
    public async Task A_claimed_item_is_the_claimers_and_a_second_decision_is_a_conflict_that_changes_nothing()
    {
        var (a, b) = Pair((await Mergeable())[0]);

        Assert.That((await Send("POST", $"/api/v1/review/{a}/{b}/claim", _amina)).Status, Is.EqualTo(HttpStatusCode.OK));
        var (boonFirst, boonBody, _) = await Send("POST", $"/api/v1/review/{a}/{b}/decision", _boon, body: new { decision = "different", reason = "different fathers" });
        Assert.That(boonFirst, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(boonBody.GetProperty("detail").GetString(), Does.Contain("claimed by amina"));

        var (merged, mergedBody, _) = await Send("POST", $"/api/v1/review/{a}/{b}/decision", _amina, body: new { decision = "same", reason = "same person, old and new IC" });
        Assert.That(merged, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(mergedBody.GetProperty("golden_a").GetInt64(), Is.EqualTo(mergedBody.GetProperty("golden_b").GetInt64()), "merged at once");

        var (again, againBody, _) = await Send("POST", $"/api/v1/review/{a}/{b}/decision", _boon, body: new { decision = "different", reason = "no" });
        Assert.That(again, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(againBody.GetProperty("detail").GetString(), Does.Contain("amina said 'same'"));
        await using var connection = new NpgsqlConnection(ConnectionString);
        Assert.That(await connection.QuerySingleAsync<(string, string)>("select decision, decided_by from match_decision where source_a = @a and source_b = @b", new { a, b }),
            Is.EqualTo(("same", "amina")));
        Assert.That((await Queue()).Select(Pair), Does.Not.Contain((a, b)), "a settled pair leaves the queue");
        Assert.That(await connection.ExecuteScalarAsync<int>("select count(*) from access_audit where subject = @s and status = 409", new { s = $"pair:{a}:{b}" }),
            Is.EqualTo(2), "refused decisions are audited");
    }

    [Test]
    public async Task Keeping_a_pair_apart_holds_through_a_full_rematch_and_deferring_keeps_it_queued_with_the_note()
    {
        var queue = await Queue();
        var (a, b) = Pair(queue[^1]);
        var (c, d) = Pair(queue[^2]);

        var (status, body, _) = await Send("POST", $"/api/v1/review/{a}/{b}/decision", _boon, body: new { decision = "different", reason = "twins: different birth order" });
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("golden_a").GetInt64(), Is.Not.EqualTo(body.GetProperty("golden_b").GetInt64()));
        Assert.That((await Send("POST", $"/api/v1/review/{c}/{d}/decision", _boon, body: new { decision = "defer", reason = "asked JPN for the birth certificate" })).Status,
            Is.EqualTo(HttpStatusCode.OK));
        var deferred = (await Queue()).Single(q => Pair(q) == (c, d));
        Assert.That((deferred.GetProperty("deferred_by").GetString(), deferred.GetProperty("note").GetString()),
            Is.EqualTo(("boon", "asked JPN for the birth certificate")));

        await Matching().FullRematchAsync(retrain: false);
        await using var connection = new NpgsqlConnection(ConnectionString);
        var golden = (await connection.QueryAsync<long>("select golden_id from golden_member where source_record_id in (@a, @b)", new { a, b })).Distinct().Count();
        Assert.That(golden, Is.EqualTo(2), "kept apart after a full re-match");

        Assert.That((await Send("POST", $"/api/v1/review/{c}/{d}/decision", _boon, body: new { decision = "maybe", reason = "x" })).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Send("POST", $"/api/v1/review/{c}/{d}/decision", _boon, body: new { decision = "same", reason = "" })).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Send("POST", "/api/v1/review/1/2/decision", _boon, body: new { decision = "same", reason = "x" })).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
