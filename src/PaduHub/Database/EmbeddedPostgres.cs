using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace PaduHub.Database;

/// <summary>
/// The hub's private PostgreSQL cluster, used whenever no connection string is configured.
/// It lives in a folder of its own (by default .padu/pg under the working directory), is created with
/// initdb on first use, started with pg_ctl on a free loopback port, reused by the next start, and
/// picked up again when the previous hub was killed (the server outlives a SIGKILLed hub) or when the
/// server itself died and left a stale postmaster.pid behind. Every process using it (the hub, a <c>padu</c> command
/// beside it) shares it, and only the last to leave stops it (<see cref="ClusterUsers"/>).
/// </summary>
public sealed partial class EmbeddedPostgres : IDisposable
{
    const string SuperUser = "postgres";
    const string InitialisedMarker = "initialised";

    /// <summary>
    /// The superuser's password, readable by this machine's user that runs the hub and no other: the cluster asks every
    /// connection for a password (scram-sha-256), so a local process cannot connect as the superuser and switch off the
    /// access audit's guard. Clusters made before this trusted loopback; they are changed over on their next start.
    /// </summary>
    const string PasswordFileName = "superuser.password";

    string? _password;

    string PasswordFile => Path.Combine(Folder, PasswordFileName);

    readonly ILogger _logger;
    readonly string _binDirectory;
    readonly string? _osUser;
    FileStream? _membership;
    bool _stopped;

    EmbeddedPostgres(string folder, string binDirectory, string? osUser, ILogger logger)
    {
        Folder = folder;
        _binDirectory = binDirectory;
        _osUser = osUser;
        _logger = logger;
    }

    /// <summary>The folder holding the cluster: data/, server.log and the unix socket.</summary>
    public string Folder { get; }

    public string DataDirectory => Path.Combine(Folder, "data");

    public string LogFile => Path.Combine(Folder, "server.log");

    public int Port { get; private set; }

    /// <summary>True when this instance found the server already running (a previous hub was killed).</summary>
    public bool Reused { get; private set; }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = _password,
        Database = database,
        // A hub restart reuses the cluster; pooled connections must not outlive a server restart quietly.
        Pooling = true,
    }.ConnectionString;

    /// <summary>
    /// Creates (first time) and starts the cluster in <paramref name="folder"/>, or attaches to it if it is
    /// already running. <paramref name="binDirectory"/> overrides where initdb and pg_ctl are looked for.
    /// </summary>
    public static EmbeddedPostgres Start(string folder, string? binDirectory = null, ILogger? logger = null,
        bool durable = true)
    {
        logger ??= NullLogger.Instance;
        var bin = binDirectory ?? ClusterFolder.FindBinDirectory();
        if (!File.Exists(Path.Combine(bin, "initdb")) || !File.Exists(Path.Combine(bin, "pg_ctl")))
        {
            throw new EmbeddedPostgresException(ClusterFolder.MissingBinariesMessage(bin));
        }

        return Open(folder, bin, logger, cluster =>
        {
            cluster.InitialiseIfNeeded(durable);
            cluster._password = File.Exists(cluster.PasswordFile) ? File.ReadAllText(cluster.PasswordFile).Trim() : null;
            cluster.StartOrAttach();
            if (cluster._password is null)
            {
                cluster.RequirePasswords();
            }
        });
    }

    /// <summary>
    /// The cluster in <paramref name="folder"/>, joined as one of its users and brought up by <paramref name="start"/>;
    /// left again if that fails. When the hub runs as root the cluster runs as PADU_PG_USER (default postgres).
    /// </summary>
    static EmbeddedPostgres Open(string folder, string bin, ILogger logger, Action<EmbeddedPostgres> start)
    {
        var osUser = CommandRunner.IsRoot ? Environment.GetEnvironmentVariable("PADU_PG_USER") ?? SuperUser : null;
        var resolvedFolder = ClusterFolder.Prepare(Path.GetFullPath(folder), osUser, logger);
        var cluster = new EmbeddedPostgres(resolvedFolder, bin, osUser, logger) { _membership = ClusterUsers.Join(resolvedFolder) };
        try
        {
            start(cluster);
            return cluster;
        }
        catch
        {
            cluster._membership.Dispose();
            throw;
        }
    }

    void InitialiseIfNeeded(bool durable)
    {
        var marker = Path.Combine(Folder, InitialisedMarker);
        if (File.Exists(marker))
        {
            return;
        }
        // No marker means initdb never finished (first run, or killed half way): nothing in data/ is worth keeping.
        if (Directory.Exists(DataDirectory))
        {
            Log.DiscardingUnfinishedCluster(_logger, DataDirectory);
            Directory.Delete(DataDirectory, recursive: true);
        }
        Log.Initialising(_logger, DataDirectory);
        // Byte-order collation (fast sorts and indexes on codes and keys); UTF-8 character classes for upper/lower.
        var password = Secrets.NewPassword();
        // initdb, run as the cluster's user, reads the password from a file; it lives only while initdb runs.
        var passwordForInitdb = Path.Combine(Folder, ".initdb-password");
        File.WriteAllText(passwordForInitdb, password + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(passwordForInitdb, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        List<string> arguments = ["-D", DataDirectory, "-U", SuperUser, "--auth-host=scram-sha-256", "--auth-local=scram-sha-256",
            $"--pwfile={passwordForInitdb}", "-E", "UTF8", "--lc-collate=C", "--lc-ctype=C.UTF-8"];
        if (!durable)
        {
            arguments.Add("--no-sync");
        }
        var result = CommandRunner.Run(Tool("initdb"), arguments, _osUser);
        File.Delete(passwordForInitdb);
        if (!result.Succeeded)
        {
            throw new EmbeddedPostgresException($"initdb failed for {DataDirectory} (exit {result.ExitCode}): {result.Output}");
        }
        Secrets.Write(PasswordFile, password);
        // Sized for a data hub on a small machine: nightly loads write millions of rows in one transaction, and
        // the stock 128 MB buffers and 1 GB of WAL make them stop for checkpoints. Durability is unchanged.
        File.AppendAllText(Path.Combine(DataDirectory, "postgresql.conf"), """

            # PaduHub embedded cluster
            shared_buffers = 1GB
            work_mem = 64MB
            maintenance_work_mem = 512MB
            max_wal_size = 8GB
            checkpoint_timeout = 30min
            wal_buffers = 64MB
            wal_compression = lz4
            effective_cache_size = 8GB
            random_page_cost = 1.1

            """);
        if (!durable)
        {
            // Throwaway clusters (tests) trade crash safety for speed.
            File.AppendAllText(Path.Combine(DataDirectory, "postgresql.conf"),
                "\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
        }
        File.WriteAllText(marker, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) + "\n");
    }

    void StartOrAttach(int? port = null)
    {
        if (TryAttachToRunningServer())
        {
            Reused = true;
            Log.Attached(_logger, Port, DataDirectory);
            return;
        }
        RemoveStalePidFile();

        // A port picked now can be taken before the server binds it; try a few.
        string lastError = "";
        for (var attempt = 0; attempt < 5; attempt++)
        {
            Port = attempt == 0 && port is { } wanted ? wanted : FreeLoopbackPort();
            var serverOptions = $"-p {Port} -c listen_addresses=127.0.0.1 -k {SocketDirectory()}";
            var result = CommandRunner.Run(Tool("pg_ctl"),
                ["-D", DataDirectory, "-l", LogFile, "-o", serverOptions, "-w", "-t", "60", "start"], _osUser,
                TimeSpan.FromSeconds(90));
            if (result.Succeeded)
            {
                WaitUntilAcceptingConnections();
                Log.Started(_logger, Port, DataDirectory);
                return;
            }
            lastError = result.Output + Environment.NewLine + TailOfLog();
        }
        throw new EmbeddedPostgresException($"The embedded PostgreSQL in {DataDirectory} did not start: {lastError}");
    }

    /// <summary>
    /// A cluster made when the embedded default trusted every loopback connection: the superuser is given a password,
    /// kept beside the cluster for this machine's hub user alone, and pg_hba.conf is changed to ask for it.
    /// </summary>
    void RequirePasswords()
    {
        var password = Secrets.NewPassword();
        using (var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false"))
        {
            connection.Open();
            // The password is letters, digits, '-' and '_' only (Secrets.NewPassword): nothing to escape.
            using var command = new NpgsqlCommand($"alter role {SuperUser} password '{password}'", connection);
            command.ExecuteNonQuery();
        }
        Secrets.Write(PasswordFile, password);
        _password = password;
        var hba = Path.Combine(DataDirectory, "pg_hba.conf");
        File.WriteAllLines(hba, File.ReadAllLines(hba).Select(line =>
            line.TrimStart().StartsWith('#') ? line : System.Text.RegularExpressions.Regex.Replace(line, @"\btrust\s*$", "scram-sha-256")));
        CommandRunner.Run(Tool("pg_ctl"), ["-D", DataDirectory, "reload"], _osUser);
        Log.PasswordsRequired(_logger, DataDirectory);
    }

    /// <summary>
    /// The unix socket lives with the cluster so it needs no system folder; socket paths are limited to
    /// about 107 bytes, so a deep folder falls back to the temp directory (the port keeps names unique).
    /// </summary>
    string SocketDirectory() => Folder.Length < 80 ? Folder : Path.GetTempPath().TrimEnd('/');

    bool TryAttachToRunningServer()
    {
        if (PostmasterPidFile.Live(DataDirectory) is not { Port: { } port })
        {
            return false;
        }
        Port = port;
        try
        {
            WaitUntilAcceptingConnections();
            return true;
        }
        catch (EmbeddedPostgresException)
        {
            // Running but not answering (e.g. shutting down): stop it and start afresh.
            CommandRunner.Run(Tool("pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], _osUser);
            return false;
        }
    }

    /// <summary>A pid file whose process is gone, or whose pid now belongs to something else, is stale.</summary>
    void RemoveStalePidFile()
    {
        var pidFile = PostmasterPidFile.PathIn(DataDirectory);
        if (!File.Exists(pidFile) || PostmasterPidFile.Live(DataDirectory) is not null)
        {
            return;
        }
        Log.RemovingStalePidFile(_logger, pidFile);
        File.Delete(pidFile);
    }

    void WaitUntilAcceptingConnections()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false;Timeout=5");
                connection.Open();
                return;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
            {
                last = e;
                Thread.Sleep(100);
            }
        }
        throw new EmbeddedPostgresException($"The embedded PostgreSQL on port {Port} does not accept connections: {last?.Message}");
    }

    static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    string TailOfLog()
    {
        try
        {
            var lines = File.ReadAllLines(LogFile);
            return string.Join(Environment.NewLine, lines.TakeLast(10));
        }
        catch (IOException)
        {
            return "";
        }
    }

    string Tool(string name) => Path.Combine(_binDirectory, name);

    /// <summary>Creates the database if it does not exist yet.</summary>
    public void EnsureDatabase(string database)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (exists.ExecuteScalar() is not null)
        {
            return;
        }
        // Identifiers cannot be parameters; quote it.
        using var create = new NpgsqlCommand($"create database \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
        create.ExecuteNonQuery();
    }

    /// <summary>
    /// Leaves the cluster, and stops the server cleanly (fast shutdown: open sessions are ended, data is flushed) when
    /// no other process uses it; otherwise it keeps running for them.
    /// </summary>
    public void Stop()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        NpgsqlConnection.ClearAllPools();
        _membership?.Dispose();
        using var alone = ClusterUsers.TakeIfLast(Folder);
        if (alone is null)
        {
            Log.LeftRunningForOthers(_logger, DataDirectory);
            return;
        }
        var result = CommandRunner.Run(Tool("pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], _osUser);
        if (result.Succeeded)
        {
            Log.Stopped(_logger, DataDirectory);
        }
        else
        {
            Log.StopFailed(_logger, DataDirectory, result.Output);
        }
    }

    public void Dispose() => Stop();

    /// <summary>Leaves without stopping anything, as a killed process does (for tests that play one).</summary>
    internal void Abandon()
    {
        _stopped = true;
        _membership?.Dispose();
    }
}
