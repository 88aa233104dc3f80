using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using PaduHub.Access;
using PaduHub.Database;
using PaduHub.Eligibility;
using PaduHub.GoldenRecords;
using PaduHub.Households;
using PaduHub.Ingestion;
using PaduHub.Server;
using PaduHub.Server.Api;
using PaduHub.Server.Ingestion;
using PaduHub.Server.Matching;
using PaduHub.Server.Pages.Steward;

// appsettings.json ships beside the binary; the working directory is where .padu/ lives.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
// The README promises http://127.0.0.1:5080; --urls or ASPNETCORE_URLS still win.
if (builder.Configuration["urls"] is null && Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is null)
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

using var startupLogging = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true));
var startupLogger = startupLogging.CreateLogger("PaduHub.Startup");
var (role, roleError) = NodeRole.From(builder.Configuration);
if (role is null)
{
    startupLogger.LogCritical("{Message}", roleError);
    return 2;
}
startupLogger.LogInformation("Starting as {Role}", role);

// The database comes first: Hangfire keeps its queues in it. One hub to a home: a second would share the first's
// standing index and folders.
PaduDatabase database;
FileStream hubLock;
try
{
    hubLock = HubLock.Take(PaduDatabase.DefaultHome);
    database = PaduDatabase.Open(builder.Configuration, startupLogger);
}
catch (EmbeddedPostgresException e)
{
    startupLogger.LogCritical("{Message}", e.Message);
    return 2;
}
try
{
    await database.MigrateAsync(startupLogger);
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
try
{
    database.UseReadReplicas(builder.Configuration, startupLogger);
}
catch (Exception e) when (e is EmbeddedPostgresException or ArgumentException)
{
    startupLogger.LogCritical("{Message}", e.Message);
    database.Dispose();
    return 2;
}
builder.Services.AddSingleton(database);

var loader = new ExtractLoader(database.ConnectionString, AgencyContracts.Load(builder.Configuration["Padu:Contracts"]),
    ExtractEndpoints.SpoolFolder(builder.Configuration), startupLogger);
await loader.RegisterAgenciesAsync();
builder.Services.AddSingleton(loader);
var dropFolders = new DropFolders(
    builder.Configuration["Padu:DropFolders"] is { Length: > 0 } drop ? drop : Path.Combine(PaduDatabase.DefaultHome, "dropbox"), loader, startupLogger);
if (role.Worker)
{
    dropFolders.Prepare();
}
builder.Services.AddSingleton(dropFolders);
builder.Services.AddTransient<IngestionJobs>();
var matching = new PersonMatching(database.ConnectionString, loader.Contracts,
    builder.Configuration["Padu:MatchIndex"] is { Length: > 0 } index ? index : Path.Combine(PaduDatabase.DefaultHome, "match-index"), logger: startupLogger);
builder.Services.AddSingleton(matching);
var households = new GoldenHouseholds(database.ConnectionString, builder.Configuration.GetValue("Padu:IncomeThresholdYear", IncomeGroups.DefaultYear),
    startupLogger);
builder.Services.AddSingleton(households);
builder.Services.AddTransient<MatchingJobs>();
builder.Services.AddTransient<PaduHub.Server.Households.HouseholdJobs>();
builder.Services.AddSingleton(Programmes.Load(builder.Configuration["Padu:Programmes"]));
// The embedded hub is a demo: on its first start it loads the committed sample population, matches it, forms its
// households, and makes keys to try the API with.
if (role.Worker && builder.Configuration.GetValue("Padu:LoadDemo", database.Embedded is not null))
{
    if (await DemoPopulation.LoadIfEmptyAsync(database, loader, startupLogger))
    {
        await matching.MatchQueuedAsync();
        await households.RebuildAsync();
    }
}

// The read API: keys remembered briefly, the audit written by group commit, a token bucket per client.
var apiKeys = new ApiKeyCache(database.ConnectionString, TimeSpan.FromSeconds(builder.Configuration.GetValue("Padu:KeyCacheSeconds", 30)));
builder.Services.AddSingleton(apiKeys);
builder.Services.AddSingleton(new AccessAudit(database.ConnectionString));
builder.Services.AddSingleton<ApiGate>();
builder.Services.AddSingleton(new ClientRateLimit(builder.Configuration.GetValue("Padu:RateLimit:PerClientPerSecond", 2_000), apiKeys));
builder.Services.AddApiDocument();
// One JSON style for every answer: snake_case, as the read API's profiles have always been.
builder.Services.ConfigureHttpJsonOptions(options =>
{
    options.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
    options.SerializerOptions.TypeInfoResolverChain.Insert(0, ProfileJson.Default);
});

// A body that is not the JSON an endpoint takes answers 400 saying which parameter could not be read, not a bare
// "Bad Request"; the framework's message names the parameter and never echoes the body.
builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
{
    if (context.Exception is BadHttpRequestException bad)
    {
        context.ProblemDetails.Title = "Request not understood";
        context.ProblemDetails.Detail = bad.Message;
    }
});
// The steward pages: local sign-in with a cookie that only this site, over this connection, ever sends back.
builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(options =>
{
    options.LoginPath = "/steward/signin";
    options.AccessDeniedPath = "/steward/denied";
    options.Cookie.Name = "padu.steward";
    options.Cookie.HttpOnly = true;
    options.Cookie.SameSite = SameSiteMode.Strict;
    options.ExpireTimeSpan = TimeSpan.FromHours(8);
    options.SlidingExpiration = true;
    // A disabled account's open sessions end at their next page, not when their cookie runs out.
    options.Events.OnValidatePrincipal = async context =>
    {
        if (context.Principal?.Identity?.Name is not { } name
            || !await PaduHub.Stewardship.StewardAccounts.IsActiveAsync(database.ConnectionString, name, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    };
});
builder.Services.AddAuthorization();
builder.Services.AddSingleton(new PaduHub.Stewardship.SignInThrottle());
builder.Services.AddRazorPages(options => options.Conventions.AuthorizeFolder("/Steward"));
// Names as stewards must read them: characters that reorder text are shown as a mark, not obeyed.
builder.Services.AddSingleton<System.Text.Encodings.Web.HtmlEncoder>(
    new PaduHub.Server.Pages.BidiSafeHtmlEncoder(System.Text.Encodings.Web.HtmlEncoder.Default));
// How long a job a dead worker held stays its own before another worker takes it up.
var takeOver = TimeSpan.FromSeconds(builder.Configuration.GetValue("Padu:Jobs:TakeOverSeconds", 60));
builder.Services.AddHangfire(configuration => configuration
    .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
    .UseSimpleAssemblyNameTypeSerializer()
    .UseRecommendedSerializerSettings()
    .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(database.ConnectionString), new PostgreSqlStorageOptions
    {
        SchemaName = "hangfire",
        QueuePollInterval = TimeSpan.FromSeconds(1),
        PrepareSchemaIfNecessary = true,
        InvisibilityTimeout = takeOver,
        UseSlidingInvisibilityTimeout = true,
        // Hangfire's own locks (a job's state changes, a recurring job's schedule) are rows that a process killed while
        // holding one never deletes; they lapse after this long. The default, ten minutes, kept a dead worker's job
        // from being taken up for that long.
        DistributedLockTimeout = takeOver,
    }));
// A worker runs a Hangfire server per queue, so no kind of work starves another. A worker killed mid-job stops
// renewing its hold on the job, and another worker takes it up after Padu:Jobs:TakeOverSeconds; every job is safe to
// run again (a load finds its file loaded, matching finds its queue empty).
if (role.Worker)
{
    foreach (var (queue, workers) in JobQueues.Defaults)
    {
        var count = JobQueues.WorkersFor(builder.Configuration, queue, workers);
        if (count <= 0)
        {
            continue;
        }
        builder.Services.AddHangfireServer(options =>
        {
            options.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:{queue}";
            // Jobs enqueued by an older version on Hangfire's default queue are still taken.
            options.Queues = queue == JobQueues.Maintenance ? [queue, "default"] : [queue];
            options.WorkerCount = count;
            options.SchedulePollingInterval = TimeSpan.FromSeconds(5);
        });
    }
}

var app = builder.Build();
app.Lifetime.ApplicationStopped.Register(() =>
{
    // Audit rows waiting in the writer go in before the database stops.
    app.Services.GetRequiredService<AccessAudit>().DisposeAsync().AsTask().GetAwaiter().GetResult();
    database.Dispose();
});

app.UseExceptionHandler(new ExceptionHandlerOptions
{
    StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
});
app.UseStatusCodePages();
app.Use((http, next) => PaduHub.Server.Pages.PageHeaders.ApplyAsync(http, () => next(http)));
app.UseAuthentication();
app.UseAuthorization();
var rateLimit = app.Services.GetRequiredService<ClientRateLimit>();
app.Use((http, next) => rateLimit.InvokeAsync(http, () => next(http)));
// A worker alone answers /health only, for whatever watches it.
app.MapHealth(role);
if (role.Api)
{
    app.MapExtracts();
    app.MapPersons();
    app.MapEligibility();
    app.MapAudit();
    app.MapChanges();
    app.MapReview();
    app.MapRazorPages();
    app.MapGet("/", () => Results.Redirect("/steward")).ExcludeFromDescription();
    // A path under /api that names no endpoint (often a word where an id goes: /persons/abc) is told so, not left a bare 404.
    app.MapFallback("/api/{**path}", (HttpContext http) => ApiGate.Problem(404, "No such endpoint",
        $"{http.Request.Method} {http.Request.Path} is not an endpoint of this API. Ids in paths are whole numbers (/api/v1/persons/1911); "
        + "the endpoints are listed at /docs (and in /openapi/v1.json).")).ExcludeFromDescription();
    app.MapApiDocument();
}
// Nightly by default; Padu:DropFolderSchedule takes any cron expression (six fields for seconds).
app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<IngestionJobs>(IngestionJobs.SweepJobId,
    j => j.SweepDropFolders(CancellationToken.None), app.Configuration["Padu:DropFolderSchedule"] ?? "0 2 * * *");
var retentionDays = app.Configuration.GetValue("Padu:RetentionDays", 30);
app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<IngestionJobs>(IngestionJobs.RetentionJobId,
    j => j.PruneKeptFiles(retentionDays, CancellationToken.None), "30 3 * * *");
app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<MatchingJobs>(MatchingJobs.PruneJobId,
    j => j.PruneRunRecords(CancellationToken.None), "45 3 * * *");
if (role.Worker)
{
    // Records still queued for matching when the hub last stopped are matched now. That includes a queue PostgreSQL
    // restored after a crash: incremental runs commit without waiting for the disk, so a crash can undo the last of them.
    await using (var queueCheck = new Npgsql.NpgsqlConnection(database.ConnectionString))
    {
        if (await Dapper.SqlMapper.ExecuteScalarAsync<bool>(queueCheck, "select exists (select 1 from match_queue)"))
        {
            app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<MatchingJobs>(j => j.MatchQueued(CancellationToken.None));
        }
    }
    // Files received but never loaded (the hub that took them was killed or stopped mid-load) are loaded now.
    if (await IngestionJobs.ResumeAbandonedAsync(database.ConnectionString, app.Services.GetRequiredService<IBackgroundJobClient>()) is > 0 and var resumed)
    {
        startupLogger.LogWarning(2007, "{Count} extracts were received but never loaded (the hub stopped first): loading them now", resumed);
    }
}
// Supervisors only, signed in through the steward pages. A signed-in steward is told so on a page, not with the
// dashboard's bare refusal.
app.Use((http, next) =>
{
    if (http.Request.Path.StartsWithSegments("/hangfire") && http.User.Identity?.IsAuthenticated == true
        && !http.User.IsInRole(PaduHub.Stewardship.StewardAccounts.Supervisor))
    {
        http.Response.Redirect("/steward/denied?what=jobs");
        return Task.CompletedTask;
    }
    return next(http);
});
if (role.Api)
{
    app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new SupervisorsOnly()], AppPath = "/steward" });
}

if (role.Api && await DemoPopulation.ExampleRequestAsync(database, startupLogger) is { } example)
{
    // Printed, not logged: the single-line log format would fold the commands into one line.
    // The address the hub really listens on (--urls, ASPNETCORE_URLS), a wildcard host asked for on loopback.
    app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine(
        $"\nTry the read API on the demo population:\n{example(ExampleAddress(app.Urls.FirstOrDefault() ?? "http://127.0.0.1:5080"))}\n"));
}
app.Run();
hubLock.Dispose();
return 0;

static string ExampleAddress(string url)
{
    var uri = new Uri(url.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal));
    var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : uri.Host;
    return $"{uri.Scheme}://{(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host)}:{uri.Port}";
}
