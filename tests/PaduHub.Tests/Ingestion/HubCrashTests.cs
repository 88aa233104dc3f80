using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
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
    static string ServerDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
        var dll = Path.Combine(Repository.Root, "src", "PaduHub.Server", "bin", configuration, "net10.0", "PaduHub.Server.dll");
        Assert.That(dll, Does.Exist);
        return dll;
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    sealed class Hub(Process process, StringBuilder output) : IAsyncDisposable
    {
        public Process Process => process;
        public string Output => output.ToString();

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
    }

    async Task<Hub> StartHubAsync(int port)
    {
        var start = new ProcessStartInfo("dotnet", [ServerDll(), "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Scratch,
        };
        start.Environment["PADU_DATABASE_URL"] = ConnectionString;
        start.Environment["PADU_HOME"] = Path.Combine(Scratch, "home");
        start.Environment["Padu__LoadDemo"] = "false";
        var output = new StringBuilder();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var hub = new Hub(process, output);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health"))).IsSuccessStatusCode)
                {
                    return hub;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            Assert.That(process.HasExited, Is.False, () => $"the hub stopped while starting:\n{hub.Output}");
            await Task.Delay(100);
        }
        await hub.DisposeAsync();
        Assert.Fail($"the hub did not answer /health within 30 s:\n{hub.Output}");
        return hub;
    }

    [Test]
    public async Task A_hub_killed_while_loading_an_upload_loads_it_once_when_started_again()
    {
        var population = Path.Combine(Scratch, "population");
        PopulationGenerator.Generate(new GeneratorOptions { People = 150_000, Seed = 11, OutDir = population });
        var file = Path.Combine(population, "extracts", "jpn_full.csv");
        var rows = File.ReadLines(file).Count() - 1;
        var key = (await ApiClients.CreateAsync(ConnectionString, "JPN nightly", ["ingest:JPN"])).Key;
        var port = FreePort();
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
            hub.Process.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no requeue, no rollback from the client
            await hub.Process.WaitForExitAsync();
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
