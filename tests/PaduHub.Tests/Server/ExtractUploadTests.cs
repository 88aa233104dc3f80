using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using PaduHub.Access;

namespace PaduHub.Tests.Server;

// Hangfire keeps its storage in a process-wide static (JobStorage.Current): two server hosts on two databases at
// once would enqueue into, or poll, each other's. One server host at a time, as in production.
[NonParallelizable]
public sealed class ExtractUploadTests() : EmptyServerFixture("upload")
{
    string _jpnKey = "";
    string _lhdnKey = "";

    static string Demo(string relative) => Path.Combine(Repository.Root, "samples", "demo", relative);

    protected override async Task ServerStartedAsync()
    {
        _jpnKey = (await ApiClients.CreateAsync(ConnectionString, "jpn-uploader", [ApiClient.IngestScope("JPN")])).Key;
        _lhdnKey = (await ApiClients.CreateAsync(ConnectionString, "lhdn-uploader", [ApiClient.IngestScope("LHDN")])).Key;
    }

    async Task<HttpResponseMessage> Upload(string? key, string agency, string file, string fileName)
    {
        using var client = Server!.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/v1/agencies/{agency}/extracts?file_name={fileName}", UriKind.Relative));
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }
        request.Content = new StreamContent(File.OpenRead(file));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return await client.SendAsync(request);
    }

    async Task<JsonElement> Receipt(string key, string location)
    {
        using var client = Server!.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        using var response = await client.GetAsync(new Uri(location, UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Test]
    public async Task Upload_is_received_queued_and_loaded_by_a_background_job()
    {
        using var response = await Upload(_jpnKey, "JPN", Demo("extracts/jpn_full.csv"), "jpn_full.csv");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var location = response.Headers.Location!.ToString();
        JsonElement receipt = default;
        for (var i = 0; i < 60; i++)
        {
            receipt = (await Receipt(_jpnKey, location)).GetProperty("receipt");
            if (receipt.GetProperty("status").GetString() != "queued")
            {
                break;
            }
            await Task.Delay(500);
        }
        Assert.That(receipt.GetProperty("status").GetString(), Is.EqualTo("loaded"));
        Assert.That(receipt.GetProperty("received_via").GetString(), Is.EqualTo("api"));
        Assert.That(receipt.GetProperty("inserted").GetInt32(), Is.EqualTo(File.ReadLines(Demo("extracts/jpn_full.csv")).Count() - 1));

        // The load's continuation matches what it changed: every new source record gets a golden record.
        await using (var connection = new Npgsql.NpgsqlConnection(ConnectionString))
        {
            var matched = 0L;
            for (var i = 0; i < 120 && matched == 0; i++)
            {
                matched = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "select count(*) from match_run where finished_at is not null");
                if (matched == 0)
                {
                    await Task.Delay(500);
                }
            }
            Assert.That(matched, Is.GreaterThan(0), "a matching run followed the load");
            Assert.That(await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "select count(*) from golden_member"),
                Is.EqualTo(receipt.GetProperty("inserted").GetInt32()));
            Assert.That(await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "select count(*) from match_queue"), Is.Zero);
        }

        using var again = await Upload(_jpnKey, "JPN", Demo("extracts/jpn_full.csv"), "jpn_full.csv");
        var duplicate = JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement;
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(duplicate.GetProperty("duplicate").GetBoolean(), Is.True);
        Assert.That($"/api/v1/extracts/{duplicate.GetProperty("id").GetInt64()}", Is.EqualTo(location));
    }

    [Test]
    public async Task Missing_or_wrong_keys_other_agencies_and_unknown_agencies_are_refused()
    {
        using var noKey = await Upload(null, "JPN", Demo("extracts/jpn_full.csv"), "jpn_full.csv");
        using var wrongKey = await Upload("padu_not-a-key", "JPN", Demo("extracts/jpn_full.csv"), "jpn_full.csv");
        using var otherAgency = await Upload(_lhdnKey, "JPN", Demo("extracts/jpn_full.csv"), "jpn_full.csv");
        using var unknown = await Upload(_jpnKey, "XYZ", Demo("extracts/jpn_full.csv"), "x.csv");
        using var unnamed = await Upload(_jpnKey, "JPN", Demo("extracts/jpn_full.csv"), "../../etc/passwd");

        Assert.That(noKey.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(wrongKey.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(otherAgency.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await otherAgency.Content.ReadAsStringAsync(), Does.Contain("ingest:JPN"));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(unnamed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(unknown.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Another_agencys_receipt_is_refused_and_the_attempt_audited()
    {
        using var response = await Upload(_jpnKey, "JPN", Demo("deltas/jpn_delta_0003.csv"), "jpn_delta_0003.csv");
        using var client = Server!.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", _lhdnKey);

        using var peek = await client.GetAsync(response.Headers.Location ?? new Uri("/api/v1/extracts/1", UriKind.Relative));

        Assert.That(peek.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        Assert.That(await Dapper.SqlMapper.ExecuteScalarAsync<int>(connection,
            "select count(*) from access_audit where client_name = 'lhdn-uploader' and action = 'GET /api/v1/extracts/{id}' and status = 403"), Is.EqualTo(1));
    }
}
