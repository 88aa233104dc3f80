using System.Net;
using System.Text.Json;
using Dapper;
using Npgsql;
using PaduHub.Access;
using PaduHub.GoldenRecords;
using PaduHub.Stewardship;

namespace PaduHub.Tests.Server;

/// <summary>
/// A policy system that keeps golden ids and follows GET /api/v1/changes: after merges, a split, a death and the
/// households they move, what it believes matches a fresh read of the database.
/// </summary>
[NonParallelizable]
public sealed class ChangeFeedTests : DemoServerFixture
{
    string _key = "";

    [OneTimeSetUp]
    public async Task MakeKey() =>
        _key = (await ApiClients.CreateAsync(ConnectionString, "subsidy system", ["profile:read", "household:read"])).Key;

    /// <summary>What a follower knows: each id's state (active, merged into N, withdrawn, dissolved), the dead, its cursor.</summary>
    sealed class Follower
    {
        public readonly Dictionary<long, string> Persons = [];
        public readonly Dictionary<long, string> Households = [];
        public readonly HashSet<long> Dead = [];
        public string Cursor = ChangeFeed.Start;
        public readonly List<string> Events = [];

        public void Apply(JsonElement change)
        {
            var (subject, id, kind, detail) = (change.GetProperty("subject").GetString(), change.GetProperty("id").GetInt64(),
                change.GetProperty("event").GetString()!, change.GetProperty("detail"));
            Events.Add($"{subject} {kind}");
            var ids = subject == "person" ? Persons : Households;
            switch (kind)
            {
                case "merged":
                    ids[id] = $"merged into {detail.GetProperty("into").GetInt64()}";
                    break;
                case "withdrawn" or "dissolved":
                    ids[id] = kind;
                    break;
                case "died":
                    Dead.Add(id);
                    break;
                case "identifier_added" or "identifier_retired":
                    break;
                default:
                    ids[id] = "active";
                    break;
            }
        }
    }

    async Task FollowAsync(Follower follower)
    {
        while (true)
        {
            var (status, body, text) = await Send("GET", $"/api/v1/changes?after={follower.Cursor}&limit=500", _key, purpose: "subsidy cache");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), text);
            foreach (var change in body.GetProperty("changes").EnumerateArray())
            {
                follower.Apply(change);
            }
            follower.Cursor = body.GetProperty("next_cursor").GetString()!;
            if (!body.GetProperty("more").GetBoolean())
            {
                return;
            }
        }
    }

    async Task AssertFollowerMatchesTheDatabaseAsync(Follower follower)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        var persons = (await connection.QueryAsync<(long Id, string Status, long? Successor)>("select id, status, successor_id from golden_person"))
            .ToDictionary(p => p.Id, p => p.Status == "retired" ? $"merged into {p.Successor}" : p.Status);
        // A follower that learnt "1 merged into 2" and later "2 merged into 3" follows the chain; the database keeps the end.
        var followed = follower.Persons.ToDictionary(p => p.Key, p => Resolve(follower.Persons, p.Key));
        Assert.That(followed, Is.EquivalentTo(persons), "persons");
        var households = (await connection.QueryAsync<(long Id, string Status, long? Successor)>("select id, status, successor_id from golden_household"))
            .ToDictionary(h => h.Id, h => h.Status == "retired" ? $"merged into {h.Successor}" : h.Status);
        Assert.That(follower.Households.ToDictionary(h => h.Key, h => Resolve(follower.Households, h.Key)), Is.EquivalentTo(households), "households");
        var dead = await connection.QueryAsync<long>("select id from golden_person where status = 'active' and attributes ? 'death_date'");
        Assert.That(follower.Dead.Where(d => follower.Persons[d] == "active"), Is.EquivalentTo(dead), "deaths");
    }

    static string Resolve(Dictionary<long, string> states, long id)
    {
        var state = states[id];
        while (state.StartsWith("merged into ", StringComparison.Ordinal) && long.Parse(state[12..], System.Globalization.CultureInfo.InvariantCulture) is var next
            && states.TryGetValue(next, out var nextState) && nextState.StartsWith("merged into ", StringComparison.Ordinal))
        {
            state = nextState;
        }
        return state;
    }

    [Test]
    public async Task A_follower_ends_with_the_golden_ids_a_fresh_read_gives_after_merges_a_split_and_a_death()
    {
        var follower = new Follower();
        await FollowAsync(follower);
        await AssertFollowerMatchesTheDatabaseAsync(follower);
        Assert.That(follower.Persons.Count, Is.GreaterThan(1000), "the first load's people are all in the feed");

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        // A merge: two people living alone are one.
        var (loners, sources) = await DecideTwoLonersAreOneAsync(connection, "amina");
        await connection.ExecuteAsync("insert into match_queue (source_record_id, extract_id) select unnest(@sources), 0", new { sources });
        // A split: a person of three or more records loses one.
        var (splitting, leaving) = await connection.QueryFirstAsync<(long, long)>("""
            select golden_id, max(source_record_id) from golden_member where golden_id <> all(@loners)
            group by golden_id having count(*) >= 3 order by golden_id limit 1
            """, new { loners });
        await ReviewQueue.SplitAsync(connection, splitting, [leaving], "amina", "two people under one MyKad");
        // A death, told by a steward.
        var dying = await connection.QueryFirstAsync<long>(
            "select id from golden_person where status = 'active' and not attributes ? 'death_date' and id <> all(@loners) and id <> @splitting order by id desc limit 1",
            new { loners, splitting });
        await AttributeCorrections.CorrectAsync(connection, dying, "death_date", "2026-11-30", "amina", "death certificate seen");
        await Matching().MatchQueuedAsync();
        await Households().RebuildAsync();

        await FollowAsync(follower);
        await AssertFollowerMatchesTheDatabaseAsync(follower);
        Assert.That(follower.Events, Does.Contain("person merged").And.Contain("person split").And.Contain("person died"));
        Assert.That(follower.Dead, Does.Contain(dying));
    }

    [Test]
    public async Task Scope_purpose_and_cursor_are_checked_and_every_page_is_audited()
    {
        var householdsOnly = (await ApiClients.CreateAsync(ConnectionString, "households only", ["household:read"])).Key;
        Assert.That((await Send("GET", "/api/v1/changes", householdsOnly)).Status, Is.EqualTo(HttpStatusCode.Forbidden), "person events need profile:read");
        var (status, body, _) = await Send("GET", "/api/v1/changes?subject=household&limit=5", householdsOnly);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("changes").EnumerateArray().All(c => c.GetProperty("subject").GetString() == "household"));

        Assert.That((await Send("GET", "/api/v1/changes", _key, purpose: null)).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        foreach (var bad in new[] { "after=abc", "after=1-x", "limit=0", "limit=10001", "subject=tax" })
        {
            var (badStatus, problem, _) = await Send("GET", $"/api/v1/changes?{bad}", _key);
            Assert.That(badStatus, Is.EqualTo(HttpStatusCode.BadRequest), bad);
            Assert.That(problem.GetProperty("detail").GetString(), Is.Not.Empty, bad);
        }
        await using var connection = new NpgsqlConnection(ConnectionString);
        var audited = await connection.ExecuteScalarAsync<long>(
            "select count(*) from access_audit where action = 'GET /api/v1/changes' and client_name = 'households only' and status = 200 and subject like 'changes:0..%'");
        Assert.That(audited, Is.EqualTo(1));
    }
}

/// <summary>The feed's order guarantee, on a database of its own: an event is never handed out ahead of an earlier one still being committed.</summary>
public sealed class ChangeFeedOrderTests
{
    [Test]
    public async Task An_event_of_a_transaction_still_running_holds_back_every_later_one_until_it_ends()
    {
        var connectionString = await TestDatabase.CreateAsync("change_feed_order");
        await using var slow = new NpgsqlConnection(connectionString);
        await using var quick = new NpgsqlConnection(connectionString);
        await using var reader = new NpgsqlConnection(connectionString);
        await Task.WhenAll(slow.OpenAsync(), quick.OpenAsync(), reader.OpenAsync());
        const string line = "insert into golden_person_history (golden_id, version, change, attributes, members) values (@id, 1, 'created', '{}', '{}')";

        await using var running = await slow.BeginTransactionAsync();
        await slow.ExecuteAsync(line, new { id = 1 }, running);     // takes a transaction id first
        await quick.ExecuteAsync(line, new { id = 2 });             // commits after it
        var page = await ChangeFeed.ReadAsync(reader, (0, 0), ["person"], 100);
        Assert.That(page.Changes, Is.Empty, "the quick commit waits behind the running transaction");

        await running.CommitAsync();
        // The horizon is the whole cluster's: a long transaction of another test's database holds it back a while.
        for (var i = 0; i < 300; i++)
        {
            page = await ChangeFeed.ReadAsync(reader, (0, 0), ["person"], 100);
            if (page.Changes.Count == 2)
            {
                break;
            }
            await Task.Delay(100);
        }
        Assert.That(page.Changes.Select(c => c.Id), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(page.Changes.Select(c => c.Event).Distinct(), Is.EqualTo(new[] { "created" }));
        Assert.That(ChangeFeed.TryParseCursor(page.NextCursor, out var cursor), Is.True);
        Assert.That((await ChangeFeed.ReadAsync(reader, cursor, ["person"], 100)).Changes, Is.Empty, "nothing after the last");
    }

    /// <summary>
    /// Transactions are ordered as numbers, not as text: "10" comes after "9". The page's query once ordered by its own
    /// text column of the same name, which also kept it from the primary key's index (a full scan and sort per page).
    /// </summary>
    [Test]
    public async Task Events_come_in_the_order_of_their_transaction_numbers_page_after_page()
    {
        var connectionString = await TestDatabase.CreateAsync("change_feed_numbers");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // Transaction ids a database this young has long passed, so none is still running.
        await connection.ExecuteAsync("""
            insert into golden_change (id, tx, subject, golden_id, version, event) values
                (1, '10', 'person', 101, 1, 'created'), (2, '9', 'person', 91, 1, 'created'), (3, '9', 'person', 92, 1, 'created')
            """);
        var seen = new List<long>();
        var cursor = (Tx: 0UL, Id: 0L);
        for (var page = 0; page < 5; page++)
        {
            var read = await ChangeFeed.ReadAsync(connection, cursor, ["person"], 2);
            seen.AddRange(read.Changes.Select(c => c.Id));
            Assert.That(ChangeFeed.TryParseCursor(read.NextCursor, out cursor), Is.True);
            if (!read.More)
            {
                break;
            }
        }
        Assert.That(seen, Is.EqualTo(new long[] { 91, 92, 101 }), "tx 9's events, then tx 10's, each once");
        var plan = string.Join("\n", await connection.QueryAsync<string>("""
            explain select c.id from golden_change c where (c.tx, c.id) > ('0'::xid8, 0) and c.tx < pg_snapshot_xmin(pg_current_snapshot())
            order by c.tx, c.id limit 10
            """));
        Assert.That(plan, Does.Contain("golden_change_pkey"));
    }
}
