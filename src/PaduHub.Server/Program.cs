using Hangfire;
using Hangfire.PostgreSql;
using PaduHub.Database;
using PaduHub.Server;

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
var database = PaduDatabase.Open(builder.Configuration, startupLogger);
try
{
    await SchemaMigrator.MigrateAsync(database.ConnectionString, startupLogger);
}
catch
{
    database.Dispose();
    throw;
}
builder.Services.AddSingleton(database);

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
// Local requests only until sign-in and roles arrive with the steward workbench.
app.MapHangfireDashboard("/hangfire");

app.Run();
