using System.Net;
using Dapper;
using Npgsql;
using PaduHub.Access;
using PaduHub.Samples;

namespace PaduHub.Tests.Ingestion;

/// <summary>
/// The real thing, with the hub: the server process is SIGKILLed while it loads an upload, then started again. The
/// file loads once, whole, without waiting for Hangfire to give the dead server's job back. Every process is started
/// here, aimed at loopback, and ended by its pid.
/// </summary>
[NonParallelizable]
public sealed class HubCrashTests : IngestionFixture
{
    Task<HubProcess> StartHubAsync(int port) => HubProcess.StartAsync(Scratch, new Dictionary<string, string>
    {
        ["PADU_DATABASE_URL"] = ConnectionString,
        ["PADU_HOME"] = Path.Combine(Scratch, "home"),
        ["Padu__LoadDemo"] = "false",
    }, port);

    [Test]
    public async Task A_hub_killed_while_loading_an_upload_loads_it_once_when_started_again()
    {
        var population = Path.Combine(Scratch, "population");
        PopulationGenerator.Generate(new GeneratorOptions { People = 150_000, Seed = 11, OutDir = population });
        var file = Path.Combine(population, "extracts", "jpn_full.csv");
        var rows = File.ReadLines(file).Count() - 1;
        var key = (await ApiClients.CreateAsync(ConnectionString, "JPN nightly", ["ingest:JPN"])).Key;
        var port = HubProcess.FreePort();
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database;

        long receiptId;
        await using (var hub = await StartHubAsync(port))
        {
            using var http = new HttpClient();
            using var upload = new StreamContent(File.OpenRead(file));
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{port}/api/v1/agencies/JPN/extracts?file_name=jpn_full.csv"))
            {
                Content = upload,
            };
            request.Headers.Add("X-Api-Key", key);
            using var response = await http.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
            receiptId = await Scalar<long>("select max(id) from extract");

            var copying = false;
            await using (var watcher = new NpgsqlConnection(TestDatabase.AdminConnectionString))
            {
                for (var i = 0; i < 600 && !copying; i++)
                {
                    copying = await watcher.ExecuteScalarAsync<bool>(
                        "select exists (select 1 from pg_stat_activity where datname = @database and query like 'copy %')", new { database });
                    await Task.Delay(50);
                }
            }
            Assert.That(copying, Is.True, () => $"caught the load in its COPY\n{hub.Output}");
            await hub.KillAsync();
        }

        for (var i = 0; i < 100 && await Scalar<int>(
                 "select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'") > 0; i++)
        {
            await Task.Delay(100);
        }
        Assert.That(await Scalar<string>("select status from extract where id = @receiptId", new { receiptId }), Is.EqualTo("queued"));
        Assert.That(await Scalar<int>("select count(*) from source_record"), Is.Zero, "nothing half-loaded");

        await using (var hub = await StartHubAsync(port))
        {
            var status = "";
            for (var i = 0; i < 1200 && status != "loaded"; i++)
            {
                status = await Scalar<string>("select status from extract where id = @receiptId", new { receiptId });
                await Task.Delay(100);
            }
            Assert.That(status, Is.EqualTo("loaded"), () => $"loaded by the hub that started, within two minutes\n{hub.Output}");
            Assert.That(hub.Output, Does.Contain("received but never loaded"));
        }
        Assert.That(await Scalar<int>("select count(*) from extract"), Is.EqualTo(1), "one receipt");
        Assert.That(await Scalar<long>("select count(*) from source_record"), Is.EqualTo(rows), "every row, once");
        Assert.That(await Scalar<long>("select inserted from extract where id = @receiptId", new { receiptId }), Is.EqualTo(rows));
    }
}
