using Hangfire;
using Hangfire.PostgreSql;
using PaduHub.Database;
using PaduHub.GoldenRecords;
using PaduHub.Ingestion;
using PaduHub.Server;
using PaduHub.Server.Ingestion;
using PaduHub.Server.Matching;

// appsettings.json ships beside the binary; the working directory is where .padu/ lives.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
// The README promises http://127.0.0.1:5080; --urls or ASPNETCORE_URLS still win.
if (builder.Configuration["urls"] is null && Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is null)
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

using var startupLogging = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true));
var startupLogger = startupLogging.CreateLogger("PaduHub.Startup");

// The database comes first: Hangfire keeps its queues in it.
PaduDatabase database;
try
{
    database = PaduDatabase.Open(builder.Configuration, startupLogger);
}
catch (EmbeddedPostgresException e)
{
    startupLogger.LogCritical("{Message}", e.Message);
    return 2;
}
try
{
    await SchemaMigrator.MigrateAsync(database.ConnectionString, startupLogger);
}
catch (SchemaMismatchException e)
{
    // A person can fix this; they get the sentence, not a stack trace.
    startupLogger.LogCritical("{Message}", e.Message);
    database.Dispose();
    return 2;
}
catch
{
    database.Dispose();
    throw;
}
builder.Services.AddSingleton(database);

var loader = new ExtractLoader(database.ConnectionString, AgencyContracts.Load(builder.Configuration["Padu:Contracts"]),
    ExtractEndpoints.SpoolFolder(builder.Configuration), startupLogger);
await loader.RegisterAgenciesAsync();
builder.Services.AddSingleton(loader);
var dropFolders = new DropFolders(
    builder.Configuration["Padu:DropFolders"] is { Length: > 0 } drop ? drop : Path.Combine(PaduDatabase.DefaultHome, "dropbox"), loader, startupLogger);
dropFolders.Prepare();
builder.Services.AddSingleton(dropFolders);
builder.Services.AddTransient<IngestionJobs>();
var matching = new PersonMatching(database.ConnectionString, loader.Contracts,
    builder.Configuration["Padu:MatchIndex"] is { Length: > 0 } index ? index : Path.Combine(PaduDatabase.DefaultHome, "match-index"), logger: startupLogger);
builder.Services.AddSingleton(matching);
builder.Services.AddTransient<MatchingJobs>();
// The embedded hub is a demo: on its first start it loads the committed sample population and matches it.
if (builder.Configuration.GetValue("Padu:LoadDemo", database.Embedded is not null))
{
    if (await DemoPopulation.LoadIfEmptyAsync(database, loader, startupLogger))
    {
        await matching.MatchQueuedAsync();
    }
}

builder.Services.AddProblemDetails();
builder.Services.AddHangfire(configuration => configuration
    .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
    .UseSimpleAssemblyNameTypeSerializer()
    .UseRecommendedSerializerSettings()
    .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(database.ConnectionString), new PostgreSqlStorageOptions
    {
        SchemaName = "hangfire",
        QueuePollInterval = TimeSpan.FromSeconds(1),
        PrepareSchemaIfNecessary = true,
    }));
builder.Services.AddHangfireServer(options =>
{
    // Two cores: the database needs one of them.
    options.WorkerCount = Math.Max(2, Environment.ProcessorCount);
    options.SchedulePollingInterval = TimeSpan.FromSeconds(5);
});

var app = builder.Build();
app.Lifetime.ApplicationStopped.Register(database.Dispose);

app.UseExceptionHandler();
app.MapHealth();
app.MapExtracts();
// Nightly by default; Padu:DropFolderSchedule takes any cron expression (six fields for seconds).
app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<IngestionJobs>(IngestionJobs.SweepJobId,
    j => j.SweepDropFolders(CancellationToken.None), app.Configuration["Padu:DropFolderSchedule"] ?? "0 2 * * *");
// Local requests only until sign-in and roles arrive with the steward workbench.
app.MapHangfireDashboard("/hangfire");

app.Run();
return 0;
