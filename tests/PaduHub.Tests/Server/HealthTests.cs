using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using PaduHub.Database;

namespace PaduHub.Tests.Server;

// Hangfire keeps its storage in a process-wide static (JobStorage.Current): two server hosts on two databases at
// once would enqueue into, or poll, each other's. One server host at a time, as in production.
[NonParallelizable]
public sealed class HealthTests
{
    string _connectionString = "";
    WebApplicationFactory<Program>? _server;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        // The server migrates its database itself on start.
        _connectionString = await TestDatabase.CreateAsync("health", migrate: false);
        _server = new WebApplicationFactory<Program>()
            .WithWebHostBuilder(host => host.UseSetting("ConnectionStrings:Padu", _connectionString));
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        await TestDatabase.DropAsync(_connectionString);
    }

    [Test]
    public async Task Health_reports_database_up_and_schema_version()
    {
        using var client = _server!.CreateClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var database = body.RootElement.GetProperty("database");
        Assert.That(body.RootElement.GetProperty("status").GetString(), Is.EqualTo("ok"));
        Assert.That(database.GetProperty("status").GetString(), Is.EqualTo("up"));
        Assert.That(database.GetProperty("schema_version").GetInt32(), Is.EqualTo(SchemaMigrator.LatestVersion));
        Assert.That(database.GetProperty("embedded").GetBoolean(), Is.False);
        Assert.That(body.RootElement.GetProperty("role").GetString(), Is.EqualTo("both"), "api and worker in one process unless Padu:Role says otherwise");
        Assert.That(body.RootElement.GetProperty("read_replicas").GetArrayLength(), Is.Zero, "no replica configured");
    }
}
