using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PaduHub.Access;

namespace PaduHub.Tests.Server;

/// <summary>
/// An agency integrator's view of its own history: its extracts listed and paged, every rejected row of a file read a
/// page at a time, what a load changed downstream, and the agency's own date kept apart from the load time.
/// </summary>
[NonParallelizable]
public sealed class AgencySelfServiceTests() : EmptyServerFixture("selfservice")
{
    string _jpnKey = "";
    string _lhdnKey = "";
    string _readerKey = "";

    protected override async Task ServerStartedAsync()
    {
        _jpnKey = (await ApiClients.CreateAsync(ConnectionString, "jpn-integrator", [ApiClient.IngestScope("JPN")])).Key;
        _lhdnKey = (await ApiClients.CreateAsync(ConnectionString, "lhdn-integrator", [ApiClient.IngestScope("LHDN")])).Key;
        _readerKey = (await ApiClients.CreateAsync(ConnectionString, "reader", ["profile:read"])).Key;
    }

    async Task<(HttpStatusCode Status, JsonElement Body)> Send(HttpMethod method, string path, string key, HttpContent? content = null)
    {
        using var client = Server!.CreateClient();
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.Add("X-Api-Key", key);
        request.Headers.Add("X-Purpose", "integration test");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    async Task<JsonElement> WaitForMatchingAsync(long extract)
    {
        for (var i = 0; i < 240; i++)
        {
            var (_, downstream) = await Send(HttpMethod.Get, $"/api/v1/extracts/{extract}/downstream", _jpnKey);
            if (downstream.GetProperty("waiting_for_matching").GetInt32() == 0 && downstream.GetProperty("golden_persons").GetInt32() > 0)
            {
                return downstream;
            }
            await Task.Delay(250);
        }
        Assert.Fail("matching never took the load's records");
        return default;
    }

    [Test]
    public async Task An_agency_lists_its_extracts_pages_its_rejected_rows_and_sees_what_a_load_changed()
    {
        // 30 people, of whom 12 have a birth date that is no date.
        var lines = File.ReadLines(Path.Combine(Repository.Root, "samples", "demo", "extracts", "jpn_full.csv")).Take(31).ToList();
        var text = new StringBuilder(lines[0]).Append('\n');
        for (var i = 1; i < lines.Count; i++)
        {
            var fields = lines[i].Split(',');
            if (i % 5 < 2)
            {
                fields[4] = "19991399";
            }
            text.Append(string.Join(',', fields)).Append('\n');
        }
        var body = new StringContent(text.ToString(), Encoding.UTF8);
        body.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var (status, receipt) = await Send(HttpMethod.Post, "/api/v1/agencies/JPN/extracts?file_name=jpn_small.csv&kind=full&as_of=2026-11-30", _jpnKey, body);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted));
        var id = receipt.GetProperty("id").GetInt64();
        Assert.That(receipt.GetProperty("agency_code").GetString(), Is.EqualTo("JPN"), "snake_case, as the read API");
        Assert.That(receipt.GetProperty("as_of").GetString(), Is.EqualTo("2026-11-30"));

        var downstream = await WaitForMatchingAsync(id);
        Assert.That(downstream.GetProperty("source_records").GetInt32(), Is.EqualTo(18));
        Assert.That(downstream.GetProperty("golden_persons").GetInt32(), Is.InRange(1, 18));
        Assert.That(downstream.GetProperty("golden_persons_changed").GetInt32(), Is.EqualTo(downstream.GetProperty("golden_persons").GetInt32()),
            "a first load creates every golden person it reaches");

        var (_, whole) = await Send(HttpMethod.Get, $"/api/v1/extracts/{id}", _jpnKey);
        Assert.That(whole.GetProperty("receipt").GetProperty("timings_ms").ValueKind, Is.EqualTo(JsonValueKind.Object), "timings are JSON, not a string of it");
        Assert.That(whole.GetProperty("rejected_rows").GetArrayLength(), Is.EqualTo(12));

        // Every rejected row, five at a time, each once.
        var seen = new List<long>();
        long? after = 0;
        while (after is { } line)
        {
            var (pageStatus, page) = await Send(HttpMethod.Get, $"/api/v1/extracts/{id}/rejected?after_line={line}&limit=5", _jpnKey);
            Assert.That(pageStatus, Is.EqualTo(HttpStatusCode.OK));
            seen.AddRange(page.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("line_number").GetInt64()));
            Assert.That(page.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("field").GetString()), Is.All.Not.Empty, "each names its field");
            after = page.GetProperty("next_after_line").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_after_line").GetInt64();
        }
        Assert.That(seen, Is.Unique.And.Count.EqualTo(12).And.Ordered);

        // The list, newest first, by status, and paged.
        var second = new StringContent(lines[0] + "\n" + lines[1] + "\n", Encoding.UTF8);
        Assert.That((await Send(HttpMethod.Post, "/api/v1/agencies/JPN/extracts?file_name=jpn_delta_0001.csv&kind=delta&sequence=1", _jpnKey, second)).Status,
            Is.EqualTo(HttpStatusCode.Accepted));
        var (_, list) = await Send(HttpMethod.Get, "/api/v1/agencies/JPN/extracts?limit=1", _jpnKey);
        Assert.That(list.GetProperty("extracts")[0].GetProperty("kind").GetString(), Is.EqualTo("delta"), "newest first");
        var next = list.GetProperty("next_before_id").GetInt64();
        var (_, older) = await Send(HttpMethod.Get, $"/api/v1/agencies/JPN/extracts?limit=1&before_id={next}", _jpnKey);
        Assert.That(older.GetProperty("extracts")[0].GetProperty("id").GetInt64(), Is.EqualTo(id));
        var (_, full) = await Send(HttpMethod.Get, "/api/v1/agencies/JPN/extracts?kind=full", _jpnKey);
        Assert.That(full.GetProperty("extracts").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()), Is.EqualTo(new[] { id }));
        Assert.That((await Send(HttpMethod.Get, "/api/v1/agencies/JPN/extracts?status=lost", _jpnKey)).Status, Is.EqualTo(HttpStatusCode.BadRequest));

        // Another agency sees none of it.
        Assert.That((await Send(HttpMethod.Get, "/api/v1/agencies/JPN/extracts", _lhdnKey)).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Send(HttpMethod.Get, $"/api/v1/extracts/{id}/rejected", _lhdnKey)).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Send(HttpMethod.Get, $"/api/v1/extracts/{id}/downstream", _lhdnKey)).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Send(HttpMethod.Get, "/api/v1/extracts/999999/rejected", _jpnKey)).Status, Is.EqualTo(HttpStatusCode.NotFound));

        // The profile says both dates: the agency's own and the hub's load time.
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        var person = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "select g.golden_id from golden_member g join source_record r on r.id = g.source_record_id where r.changed_extract_id = @id limit 1", new { id });
        var (profileStatus, profile) = await Send(HttpMethod.Get, $"/api/v1/persons/{person}", _readerKey);
        Assert.That(profileStatus, Is.EqualTo(HttpStatusCode.OK));
        var name = profile.GetProperty("identity").GetProperty("full_name");
        Assert.That(name.GetProperty("as_of").GetString(), Is.EqualTo("2026-11-30"));
        Assert.That(name.GetProperty("loaded_at").GetDateTime(), Is.GreaterThan(DateTime.UtcNow.AddHours(-1)));
    }
}
