using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PaduHub.GoldenRecords;
using PaduHub.Households;
using PaduHub.Ingestion;

namespace PaduHub.Tests.Server;

/// <summary>
/// The demo population's full extracts loaded, matched and formed into households on a database of the fixture's
/// own, then served by the real server. Subclasses change the data before it is served and add settings.
/// </summary>
public abstract class DemoServerFixture
{
    protected string ConnectionString { get; private set; } = "";
    protected string Home { get; private set; } = "";
    protected WebApplicationFactory<Program>? Server { get; private set; }

    /// <summary>Serve on a real socket (Kestrel on a free loopback port) for a browser, not only the in-memory test server.</summary>
    protected virtual bool OnRealSocket => false;

    /// <summary>Where the real socket listens, when <see cref="OnRealSocket"/>.</summary>
    protected Uri? Address { get; private set; }

    static readonly string[] s_agencies = ["JKM", "JPN", "KWSP", "LHDN", "TNB"];

    protected static string Demo(string relative) => Path.Combine(Repository.Root, "samples", "demo", relative);

    protected PersonMatching Matching() => new(ConnectionString, AgencyContracts.Load(), Path.Combine(Home, "match-index"));

    protected GoldenHouseholds Households() => new(ConnectionString);

    /// <summary>
    /// A steward's decision that the first two people who each live alone are one: "same" between their source records.
    /// The caller runs matching to apply it. Returns the two golden ids and their source records.
    /// </summary>
    protected async Task<(long[] Loners, long[] Sources)> DecideTwoLonersAreOneAsync(NpgsqlConnection connection, string steward)
    {
        var loners = (await connection.QueryAsync<long>("""
            select m.golden_id from golden_household_member m join golden_household h on h.id = m.household_id
            where h.size = 1 order by m.golden_id limit 2
            """)).ToArray();
        var sources = (await connection.QueryAsync<long>("select source_record_id from golden_member where golden_id = any(@loners) order by 1",
            new { loners })).ToArray();
        foreach (var other in sources.Skip(1))
        {
            await connection.ExecuteAsync("insert into match_decision (source_a, source_b, decision, decided_by, reason) values (@first, @other, 'same', @steward, 'test')",
                new { first = sources[0], other, steward });
        }
        return (loners, sources);
    }

    /// <summary>
    /// Ten utility accounts under registered people's names at other addresses in their towns, with nothing else:
    /// doubtful pairs, so the review queue has work for a test's every step however well the demo's own records match.
    /// Loaded as TNB's delta of the sequence given (the next after those the test loaded); the caller matches them.
    /// </summary>
    protected async Task LoadDoubtfulAccountsAsync(ExtractLoader loader, int sequence)
    {
        var file = Path.Combine(Home, $"tnb_delta_{sequence:0000}_doubtful.csv");
        File.Copy(Path.Combine(Repository.Root, "tests", "PaduHub.Tests", "Server", "tnb_doubtful_accounts.csv"), file, overwrite: true);
        var receipt = await loader.LoadAsync(new ExtractRequest("TNB", file, Path.GetFileName(file), "cli"));
        Assert.That(receipt.Status, Is.EqualTo("loaded"), receipt.Reason);
    }

    /// <summary>Runs after matching and households, before the server starts.</summary>
    protected virtual Task PrepareAsync() => Task.CompletedTask;

    protected virtual void Configure(IWebHostBuilder host)
    {
    }

    [OneTimeSetUp]
    public async Task StartServer()
    {
        ConnectionString = await TestDatabase.CreateAsync(GetType().Name.ToLowerInvariant());
        Home = Path.Combine(Path.GetTempPath(), $"paduhub-{GetType().Name}-{Guid.NewGuid():N}");
        var loader = new ExtractLoader(ConnectionString, AgencyContracts.Load(), Path.Combine(Home, "spool"));
        await loader.RegisterAgenciesAsync();
        foreach (var agency in s_agencies)
        {
            var file = Directory.GetFiles(Demo("extracts"), agency.ToLowerInvariant() + "_full.*").Single();
            await loader.LoadAsync(new ExtractRequest(agency, file, Path.GetFileName(file), "cli"));
        }
        await Matching().FullRematchAsync();
        await Households().RebuildAsync();
        await PrepareAsync();
        Server = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("ConnectionStrings:Padu", ConnectionString)
                .UseSetting("Padu:LoadDemo", "false")
                .UseSetting("Padu:SpoolFolder", Path.Combine(Home, "spool"))
                .UseSetting("Padu:DropFolders", Path.Combine(Home, "dropbox"))
                .UseSetting("Padu:MatchIndex", Path.Combine(Home, "match-index"));
            Configure(host);
        });
        if (OnRealSocket)
        {
            Server.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
            Server.StartServer();
            var addresses = Server.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
                .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
            Address = new Uri(addresses.First());
            return;
        }
        Server.CreateClient().Dispose();
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        await TestDatabase.DropAsync(ConnectionString);
        Directory.Delete(Home, recursive: true);
    }

    /// <summary>One request; the body parsed (the first line of a streamed batch stands for it) and the raw text.</summary>
    protected async Task<(HttpStatusCode Status, JsonElement Body, string Text)> Send(string method, string path, string? key, string? purpose = "test",
        object? body = null)
    {
        using var client = Server!.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }
        if (purpose is not null)
        {
            request.Headers.Add("X-Purpose", purpose);
        }
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = !(text.StartsWith('{') || text.StartsWith('[')) ? default
            : response.Content.Headers.ContentType?.MediaType == "application/x-ndjson" ? JsonDocument.Parse(text.Split('\n')[0]).RootElement.Clone()
            : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, json, text);
    }
}
