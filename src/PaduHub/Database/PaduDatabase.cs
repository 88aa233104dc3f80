using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace PaduHub.Database;

/// <summary>
/// The database the hub works against: a configured server (PADU_DATABASE_URL or ConnectionStrings:Padu)
/// or, when none is configured, the embedded cluster in .padu/pg under the working directory.
/// Disposing stops the embedded cluster; a configured server is left alone.
/// </summary>
public sealed class PaduDatabase : IDisposable
{
    public const string DatabaseName = "padu";

    PaduDatabase(string connectionString, EmbeddedPostgres? embedded)
    {
        AdminConnectionString = ConnectionString = connectionString;
        Embedded = embedded;
        if (embedded is not null && Secrets.Read(HubPasswordFile(embedded)) is { } password)
        {
            ConnectionString = HubConnectionString(password);
        }
    }

    /// <summary>
    /// What the hub works as. On the embedded cluster, once migrated, the least-privilege role padu_hub (migration 0015):
    /// it owns the data but may only insert into and read the access audit, and is no superuser. On a configured server,
    /// the configured user.
    /// </summary>
    public string ConnectionString { get; private set; }

    /// <summary>What migrations run as: the configured user, or the embedded cluster's superuser.</summary>
    public string AdminConnectionString { get; }

    public const string HubRole = "padu_hub";

    static string HubPasswordFile(EmbeddedPostgres embedded) => Path.Combine(embedded.Folder, "hub.password");

    string HubConnectionString(string password) => new NpgsqlConnectionStringBuilder(AdminConnectionString) { Username = HubRole, Password = password }.ConnectionString;

    /// <summary>
    /// Brings the schema up to date as the administrator; on the embedded cluster then lets padu_hub log in with a
    /// password of its own, kept beside the cluster for this machine's hub user alone, and works as it from then on.
    /// </summary>
    public async Task<MigrationResult> MigrateAsync(ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var result = await SchemaMigrator.MigrateAsync(AdminConnectionString, logger, cancellationToken);
        if (Embedded is not null)
        {
            var file = HubPasswordFile(Embedded);
            var password = Secrets.Read(file) ?? Secrets.NewPassword();
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync(cancellationToken);
            // Secrets.NewPassword gives letters, digits, '-' and '_' only: nothing to escape.
            await using (var command = new NpgsqlCommand($"alter role {HubRole} login password '{password}'", connection))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            Secrets.Write(file, password);
            ConnectionString = HubConnectionString(password);
            _requestConnectionString = _lookupConnectionString = null;
        }
        return result;
    }

    /// <summary>The private cluster, when the hub runs on its embedded default; null for a configured server.</summary>
    public EmbeddedPostgres? Embedded { get; }

    /// <summary>Where the embedded cluster lives unless PADU_HOME says otherwise.</summary>
    public static string DefaultHome => Environment.GetEnvironmentVariable("PADU_HOME") is { Length: > 0 } home
        ? home
        : Path.Combine(Directory.GetCurrentDirectory(), ".padu");

    /// <summary>The configured connection string, or null when the embedded default should be used.</summary>
    public static string? ConfiguredConnectionString(IConfiguration? configuration = null)
    {
        var url = Environment.GetEnvironmentVariable("PADU_DATABASE_URL");
        if (string.IsNullOrWhiteSpace(url))
        {
            url = configuration?.GetConnectionString("Padu");
        }
        return string.IsNullOrWhiteSpace(url) ? null : ToNpgsqlConnectionString(url);
    }

    /// <summary>Accepts a postgres:// URL or an Npgsql key=value connection string.</summary>
    public static string ToNpgsqlConnectionString(string value)
    {
        if (!value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            && !value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new NpgsqlConnectionStringBuilder(value).ConnectionString;
        }
        var uri = new Uri(value);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? Uri.UnescapeDataString(db) : DatabaseName,
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            builder[Uri.UnescapeDataString(kv[0])] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
        }
        return builder.ConnectionString;
    }

    /// <summary>Connects to the configured server, or starts the embedded cluster, and makes sure the database exists.</summary>
    public static PaduDatabase Open(IConfiguration? configuration = null, ILogger? logger = null)
    {
        var configured = ConfiguredConnectionString(configuration);
        if (configured is not null)
        {
            return new PaduDatabase(configured, null);
        }
        var embedded = EmbeddedPostgres.Start(Path.Combine(DefaultHome, "pg"), logger: logger);
        try
        {
            embedded.EnsureDatabase(DatabaseName);
            return new PaduDatabase(embedded.ConnectionString(DatabaseName), embedded);
        }
        catch
        {
            embedded.Stop();
            throw;
        }
    }

    /// <summary>
    /// A connection for request work (the read API): the same few statements run thousands of times a second, so
    /// Npgsql prepares them on each pooled connection and PostgreSQL stops parsing and planning them every time. Code
    /// that changes session state (temporary tables, SET without LOCAL) must use <see cref="ConnectionString"/> instead.
    /// </summary>
    public NpgsqlConnection Connect() => new(RequestConnectionString);

    string RequestConnectionString => _requestConnectionString ??= new NpgsqlConnectionStringBuilder(ConnectionString)
    {
        MaxAutoPrepare = 64,
        AutoPrepareMinUsages = 2,
        // Request work leaves no session state behind (no SET, no temporary tables), so a pooled connection need not
        // be reset each time it is handed out again: that reset was a statement per request.
        NoResetOnClose = true,
    }.ConnectionString;

    string? _requestConnectionString;

    /// <summary>
    /// A connection for the policy systems' reads (profiles, households, eligibility facts), where every statement looks
    /// rows up by id or identifier. These run on one generic plan each: left to itself PostgreSQL re-plans the
    /// statements that take an array of ids on every call (a plan for one id looks cheaper than the generic one), and
    /// that planning was a large share of an eligibility check's database time (decisions 3 and 7).
    /// A statement whose best plan depends on which of its parameters are given (a search with optional filters that
    /// pick different indexes) does not belong on this connection.
    /// </summary>
    /// <remarks>
    /// When the database runs on this machine (the embedded cluster, or a server on loopback or a local socket) these
    /// connections are capped at two per core: the database shares the cores with the hub, and sixteen backends taking
    /// turns on two cores cost more than requests waiting a moment for a connection (decision 7). A server elsewhere
    /// keeps the pool size its connection string gives.
    /// </remarks>
    public NpgsqlConnection ConnectForKeyLookups() => new(_lookupConnectionString ??= LookupConnectionString());

    string LookupConnectionString()
    {
        var builder = new NpgsqlConnectionStringBuilder(RequestConnectionString);
        AddServerSetting(builder, "plan_cache_mode=force_generic_plan");
        if (Embedded is not null || builder.Host is "127.0.0.1" or "::1" or "localhost" || builder.Host?.StartsWith('/') == true)
        {
            builder.MaxPoolSize = Math.Min(builder.MaxPoolSize, 2 * Environment.ProcessorCount);
        }
        return builder.ConnectionString;
    }

    /// <summary>
    /// Runs key lookups on a connection held only while they run, not while the answer waits for its audit row: with a
    /// small pool, a connection idling through another commit would keep the next request from the database.
    /// </summary>
    /// <remarks>
    /// With read replicas (<see cref="UseReadReplicas"/>) the lookups run on a hot standby in turn, and on the primary
    /// when none is in turn or the standby fails them (they only read, so running them again is safe).
    /// </remarks>
    public async Task<T> LookUpAsync<T>(Func<NpgsqlConnection, Task<T>> lookups)
    {
        if (Replicas?.Pick() is { } replica)
        {
            try
            {
                await using var standby = new NpgsqlConnection(replica.ConnectionString);
                var answer = await lookups(standby);
                Interlocked.Increment(ref replica.Reads);
                return answer;
            }
            catch (Exception e) when (ReadReplicas.IsReplicaTrouble(e))
            {
                Replicas.Failed(replica, e);
            }
        }
        return await LookUpOnPrimaryAsync(lookups);
    }

    /// <summary>Key lookups that must see the primary itself (the change feed, whose cursor follows the primary's transactions).</summary>
    public async Task<T> LookUpOnPrimaryAsync<T>(Func<NpgsqlConnection, Task<T>> lookups)
    {
        await using var connection = ConnectForKeyLookups();
        return await lookups(connection);
    }

    /// <summary>The hot standbys the read API reads from; null when none is configured.</summary>
    public ReadReplicas? Replicas { get; private set; }

    /// <summary>The embedded cluster's own streaming replica, when Padu:EmbeddedReplica (or PADU_EMBEDDED_REPLICA=1) asked for one.</summary>
    public EmbeddedPostgres? EmbeddedStandby { get; private set; }

    /// <summary>
    /// Reads profiles, households and eligibility facts from the configured hot standbys from now on, and on the
    /// embedded default starts a streaming replica of its own cluster first if asked. Called once the schema is migrated:
    /// the replicas are read as the hub's own user.
    /// </summary>
    public void UseReadReplicas(Microsoft.Extensions.Configuration.IConfiguration? configuration, ILogger? logger = null)
    {
        var replicas = ReadReplicas.Configured(configuration).ToList();
        var embeddedReplica = configuration?["Padu:EmbeddedReplica"] ?? Environment.GetEnvironmentVariable("PADU_EMBEDDED_REPLICA");
        if (Embedded is not null && (embeddedReplica == "1" || bool.TryParse(embeddedReplica, out var asked) && asked))
        {
            EmbeddedStandby = EmbeddedPostgres.StartStandby(Path.Combine(DefaultHome, "pg-replica"), Embedded, logger);
            replicas.Add($"postgres://127.0.0.1:{EmbeddedStandby.Port}");
        }
        if (replicas.Count == 0)
        {
            return;
        }
        var maxLag = TimeSpan.FromSeconds(double.Parse(configuration?["Padu:ReadReplicaMaxLagSeconds"] ?? "30", System.Globalization.CultureInfo.InvariantCulture));
        Replicas = new ReadReplicas(replicas.Select(r => ReadReplicas.For(r, LookupConnectionString())), maxLag, TimeSpan.FromSeconds(2));
    }

    string? _lookupConnectionString;

    /// <summary>Adds a PostgreSQL setting for every session of a pool, after any the configured connection string gives.</summary>
    public static void AddServerSetting(NpgsqlConnectionStringBuilder builder, string setting) =>
        builder.Options = $"{builder.Options} -c {setting}".Trim();

    public void Dispose()
    {
        Replicas?.Dispose();
        EmbeddedStandby?.Stop();
        Embedded?.Stop();
    }
}
