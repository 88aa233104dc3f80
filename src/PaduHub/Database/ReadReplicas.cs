using System.Globalization;
using Dapper;
using Npgsql;

namespace PaduHub.Database;

/// <summary>
/// The PostgreSQL hot standbys the read API reads profiles, households and eligibility facts from (PostgreSQL's own
/// streaming replication; PADU_READ_DATABASE_URL, several separated by commas). Reads take the replicas in turn; one
/// that refuses a connection or fails a read is left alone for a few seconds and the read goes to the primary
/// instead, so a replica going down costs the primary some load, not an error. A watcher asks each replica every
/// couple of seconds how far its replay runs behind the primary, and one further behind than the limit is passed over
/// until it catches up. Writes (the access audit among them) always go to the primary.
/// </summary>
public sealed class ReadReplicas : IDisposable
{
    public static readonly TimeSpan RestAfterFailure = TimeSpan.FromSeconds(5);

    /// <summary>One standby and what the hub last saw of it.</summary>
    public sealed class Replica(string name, string connectionString)
    {
        /// <summary>host:port, never the credentials.</summary>
        public string Name { get; } = name;

        public string ConnectionString { get; } = connectionString;

        /// <summary>Seconds of primary time not yet replayed; 0 when it has replayed all it received; null before the first check.</summary>
        public double? LagSeconds { get; internal set; }

        public DateTime DownUntil { get; internal set; }

        /// <summary>Why it was last taken out of turn (a connection refused, not a standby, too far behind).</summary>
        public string? Trouble { get; internal set; }

        public long Reads;
        public long FellBack;

        internal bool InTurn(DateTime now, TimeSpan maxLag) => DownUntil <= now && LagSeconds is { } lag && lag <= maxLag.TotalSeconds;
    }

    readonly List<Replica> _replicas;
    readonly Timer _watch;
    readonly TimeSpan _maxLag;
    int _turn;

    public ReadReplicas(IEnumerable<Replica> replicas, TimeSpan maxLag, TimeSpan checkEvery)
    {
        _replicas = replicas.ToList();
        _maxLag = maxLag;
        // The first check runs at once, so a replica is only read from once it has been seen to be a standby.
        _watch = new Timer(_ => CheckAll(), null, TimeSpan.Zero, checkEvery);
    }

    public IReadOnlyList<Replica> All => _replicas;

    public TimeSpan MaxLag => _maxLag;

    /// <summary>
    /// The read replicas configured in PADU_READ_DATABASE_URL (or Padu:ReadDatabases), as postgres:// URLs or Npgsql
    /// connection strings separated by commas or spaces. A replica that names no user works as the primary's user: a
    /// physical replica has the primary's roles and passwords. Each gets the primary's read-connection settings.
    /// </summary>
    public static IEnumerable<string> Configured(Microsoft.Extensions.Configuration.IConfiguration? configuration)
    {
        var value = Environment.GetEnvironmentVariable("PADU_READ_DATABASE_URL");
        if (string.IsNullOrWhiteSpace(value))
        {
            value = configuration?["Padu:ReadDatabases"];
        }
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }
        // URLs are split on commas and spaces; a key=value connection string (which has spaces and ';') is one replica per line.
        return value.Contains(';', StringComparison.Ordinal)
            ? value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : value.Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>The replica's connection string: the primary's read settings, with the replica's host, port and (if given) user and database.</summary>
    public static Replica For(string replica, string primaryReadConnectionString)
    {
        NpgsqlConnectionStringBuilder given;
        try
        {
            given = new NpgsqlConnectionStringBuilder(PaduDatabase.ToNpgsqlConnectionString(replica));
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
        {
            // The value is not repeated: it may hold a password.
            throw new ArgumentException($"A read replica in PADU_READ_DATABASE_URL (or Padu:ReadDatabases) is neither a postgres:// URL nor an Npgsql connection string: {e.Message}", e);
        }
        if (string.IsNullOrEmpty(given.Host))
        {
            throw new ArgumentException("A read replica in PADU_READ_DATABASE_URL (or Padu:ReadDatabases) names no host.");
        }
        var builder = new NpgsqlConnectionStringBuilder(primaryReadConnectionString) { Host = given.Host, Port = given.Port, Timeout = 3 };
        if (!string.IsNullOrEmpty(given.Username))
        {
            (builder.Username, builder.Password) = (given.Username, given.Password);
        }
        // A URL without a path names no database: the primary's is meant.
        var namesDatabase = replica.Contains("://", StringComparison.Ordinal)
            ? new Uri(replica).AbsolutePath.Trim('/').Length > 0
            : !string.IsNullOrEmpty(given.Database);
        if (namesDatabase)
        {
            builder.Database = given.Database;
        }
        return new Replica(string.Create(CultureInfo.InvariantCulture, $"{given.Host}:{given.Port}"), builder.ConnectionString);
    }

    /// <summary>The next replica in turn, or null when none is (the read goes to the primary).</summary>
    public Replica? Pick()
    {
        var now = DateTime.UtcNow;
        for (var i = 0; i < _replicas.Count; i++)
        {
            var replica = _replicas[(int)((uint)Interlocked.Increment(ref _turn) % (uint)_replicas.Count)];
            if (replica.InTurn(now, _maxLag))
            {
                return replica;
            }
        }
        return null;
    }

    /// <summary>A read failed on the replica in a way the primary would not (the server gone, starting, shutting down, or a conflict with replay).</summary>
    public static bool IsReplicaTrouble(Exception e) => e switch
    {
        PostgresException p => p.SqlState is "40001" or "57P01" or "57P02" or "57P03" or "08006" or "08001",
        NpgsqlException n => n.IsTransient,
        TimeoutException or System.Net.Sockets.SocketException => true,
        _ => false,
    };

    public void Failed(Replica replica, Exception e)
    {
        replica.DownUntil = DateTime.UtcNow + RestAfterFailure;
        replica.Trouble = e.Message;
        Interlocked.Increment(ref replica.FellBack);
    }

    int _checking;

    void CheckAll()
    {
        if (Interlocked.Exchange(ref _checking, 1) == 1)
        {
            return;
        }
        try
        {
            foreach (var replica in _replicas)
            {
                Check(replica);
            }
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
        }
    }

    /// <summary>How far behind the replica's replay runs: nothing when it has replayed all it received, else the age of the last transaction it replayed.</summary>
    static void Check(Replica replica)
    {
        try
        {
            using var connection = new NpgsqlConnection(replica.ConnectionString);
            connection.Open();
            var (standby, lag) = connection.QuerySingle<(bool, double)>("""
                select pg_is_in_recovery(),
                       case when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
                            else coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp())::float8, 0) end
                """);
            if (!standby)
            {
                // A primary named as a replica (a promoted standby, a wrong URL) is not read from: it may be another hub.
                (replica.LagSeconds, replica.Trouble) = (null, "not a standby (pg_is_in_recovery() is false)");
                return;
            }
            replica.LagSeconds = Math.Round(lag, 3);
            replica.Trouble = null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            replica.LagSeconds = null;
            replica.Trouble = e.Message;
        }
    }

    public void Dispose() => _watch.Dispose();
}
