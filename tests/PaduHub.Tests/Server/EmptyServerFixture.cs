using Microsoft.AspNetCore.Mvc.Testing;

namespace PaduHub.Tests.Server;

/// <summary>
/// The real server on a database of the fixture's own, empty until the host migrates it at start; its spool, drop
/// folders and match index in a scratch folder. Hangfire keeps its storage in a process-wide static, so subclasses
/// run one at a time ([NonParallelizable]), as one hub does in production.
/// </summary>
public abstract class EmptyServerFixture(string name)
{
    protected string ConnectionString { get; private set; } = "";
    protected string Home { get; private set; } = "";
    protected WebApplicationFactory<Program>? Server { get; private set; }

    [OneTimeSetUp]
    public async Task StartServer()
    {
        ConnectionString = await TestDatabase.CreateAsync(name, migrate: false);
        Home = Path.Combine(Path.GetTempPath(), $"paduhub-{name}-{Guid.NewGuid():N}");
        Server = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseSetting("ConnectionStrings:Padu", ConnectionString)
            .UseSetting("Padu:SpoolFolder", Path.Combine(Home, "spool"))
            .UseSetting("Padu:DropFolders", Path.Combine(Home, "dropbox"))
            .UseSetting("Padu:MatchIndex", Path.Combine(Home, "match-index")));
        Server.CreateClient().Dispose(); // starts the host, which migrates the database
        await ServerStartedAsync();
    }

    /// <summary>Runs once the server is up (keys for the tests, say).</summary>
    protected virtual Task ServerStartedAsync() => Task.CompletedTask;

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
}
