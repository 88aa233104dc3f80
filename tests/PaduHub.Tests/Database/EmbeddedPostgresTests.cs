using System.Diagnostics;
using Dapper;
using Npgsql;
using PaduHub.Database;

namespace PaduHub.Tests.Database;

/// <summary>Each test owns a cluster of its own in a throwaway folder, separate from the shared test server.</summary>
public sealed class EmbeddedPostgresTests
{
    string _folder = "";

    [SetUp]
    public void NewFolder() => _folder = Path.Combine(Path.GetTempPath(), $"paduhub-cluster-test-{Guid.NewGuid():N}"[..40]);

    [TearDown]
    public void RemoveFolder()
    {
        if (File.Exists(Path.Combine(_folder, "data", "postmaster.pid")))
        {
            EmbeddedPostgres.Start(_folder, durable: false).Stop();
        }
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Test]
    public void Cluster_is_created_stopped_and_reused_with_its_data()
    {
        using (var first = EmbeddedPostgres.Start(_folder, durable: false))
        {
            first.EnsureDatabase("padu");
            using var connection = new NpgsqlConnection(first.ConnectionString("padu"));
            connection.Execute("create table survives_restart (id int); insert into survives_restart values (42)");
        }
        var initialisedAt = File.ReadAllText(Path.Combine(_folder, "initialised"));
        Assert.That(File.Exists(Path.Combine(_folder, "data", "postmaster.pid")), Is.False, "stopped cleanly");

        using var second = EmbeddedPostgres.Start(_folder, durable: false);
        using var again = new NpgsqlConnection(second.ConnectionString("padu"));

        Assert.That(again.ExecuteScalar<int>("select id from survives_restart"), Is.EqualTo(42));
        Assert.That(File.ReadAllText(Path.Combine(_folder, "initialised")), Is.EqualTo(initialisedAt), "no second initdb");
        Assert.That(second.Reused, Is.False);
    }

    [Test]
    public void The_cluster_asks_every_connection_for_a_password_kept_for_the_hub_user_alone()
    {
        using var cluster = EmbeddedPostgres.Start(_folder, durable: false);
        var withoutPassword = new NpgsqlConnectionStringBuilder(cluster.ConnectionString("postgres")) { Password = null, Pooling = false }.ConnectionString;

        var refused = Assert.Throws<NpgsqlException>(() => new NpgsqlConnection(withoutPassword).Open());
        Assert.That(refused!.Message, Does.Contain("password"));
        using var connection = new NpgsqlConnection(cluster.ConnectionString("postgres"));
        Assert.That(connection.ExecuteScalar<int>("select 1"), Is.EqualTo(1));
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(Path.Combine(_folder, "superuser.password")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    [Test]
    public void A_cluster_made_when_loopback_was_trusted_asks_for_passwords_from_its_next_start()
    {
        using (EmbeddedPostgres.Start(_folder, durable: false))
        {
        }
        // As the embedded default used to make it: trust on every line, no password kept.
        var hba = Path.Combine(_folder, "data", "pg_hba.conf");
        File.WriteAllLines(hba, File.ReadAllLines(hba).Select(l => l.Replace("scram-sha-256", "trust", StringComparison.Ordinal)));
        File.Delete(Path.Combine(_folder, "superuser.password"));

        using var cluster = EmbeddedPostgres.Start(_folder, durable: false);

        Assert.That(File.ReadAllText(hba), Does.Not.Contain("trust\n").And.Contain("scram-sha-256"));
        var withoutPassword = new NpgsqlConnectionStringBuilder(cluster.ConnectionString("postgres")) { Password = null, Pooling = false }.ConnectionString;
        Assert.Throws<NpgsqlException>(() => new NpgsqlConnection(withoutPassword).Open());
        using var connection = new NpgsqlConnection(cluster.ConnectionString("postgres"));
        Assert.That(connection.ExecuteScalar<int>("select 1"), Is.EqualTo(1));
    }

    [Test]
    public void Server_left_running_by_a_killed_hub_is_reused()
    {
        // A SIGKILLed hub never calls Stop: its server keeps running, as here.
        var orphaned = EmbeddedPostgres.Start(_folder, durable: false);
        orphaned.Abandon();

        using var next = EmbeddedPostgres.Start(_folder, durable: false);

        Assert.That(next.Reused, Is.True);
        Assert.That(next.Port, Is.EqualTo(orphaned.Port));
        using var connection = new NpgsqlConnection(next.ConnectionString("postgres"));
        Assert.That(connection.ExecuteScalar<int>("select 1"), Is.EqualTo(1));
    }

    [Test]
    public void Stale_pid_file_of_a_killed_server_is_recovered()
    {
        var crashed = EmbeddedPostgres.Start(_folder, durable: false);
        crashed.Abandon();
        var pidFile = Path.Combine(crashed.DataDirectory, "postmaster.pid");
        var pid = int.Parse(File.ReadLines(pidFile).First(), System.Globalization.CultureInfo.InvariantCulture);
        using (var postmaster = Process.GetProcessById(pid))
        {
            postmaster.Kill();
            postmaster.WaitForExit();
        }
        NpgsqlConnection.ClearAllPools();
        Assert.That(File.Exists(pidFile), Is.True, "SIGKILL leaves the pid file behind");

        using var restarted = EmbeddedPostgres.Start(_folder, durable: false);

        Assert.That(restarted.Reused, Is.False);
        using var connection = new NpgsqlConnection(restarted.ConnectionString("postgres"));
        Assert.That(connection.ExecuteScalar<int>("select 1"), Is.EqualTo(1));
    }

    [Test]
    public void A_command_beside_a_running_hub_leaves_its_server_running_and_the_last_to_leave_stops_it()
    {
        using var hub = EmbeddedPostgres.Start(_folder, durable: false);
        var command = EmbeddedPostgres.Start(_folder, durable: false);
        Assert.That(command.Reused, Is.True);

        command.Dispose();

        using (var connection = new NpgsqlConnection(hub.ConnectionString("postgres")))
        {
            Assert.That(connection.ExecuteScalar<int>("select 1"), Is.EqualTo(1), "the hub's server still answers");
        }
        hub.Dispose();
        Assert.That(File.Exists(Path.Combine(_folder, "data", "postmaster.pid")), Is.False, "the last to leave stopped it");
    }

    [Test]
    public void A_second_hub_on_one_home_is_refused_naming_the_first()
    {
        using var first = HubLock.Take(_folder);

        var second = Assert.Throws<EmbeddedPostgresException>(() => HubLock.Take(_folder));

        Assert.That(second!.Message, Does.Contain($"process {Environment.ProcessId}"));
        Assert.That(second.Message, Does.Contain("PADU_HOME"));
        Assert.That(HubLock.IsHeld(_folder), Is.True, "a padu command can tell a hub runs here");
        first.Dispose();
        Assert.That(HubLock.IsHeld(_folder), Is.False);
    }

    [Test]
    public void Unfinished_initdb_is_discarded_and_redone()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "data"));
        File.WriteAllText(Path.Combine(_folder, "data", "half-written"), "initdb was killed here");

        using var cluster = EmbeddedPostgres.Start(_folder, durable: false);

        Assert.That(File.Exists(Path.Combine(_folder, "data", "half-written")), Is.False);
        Assert.That(File.Exists(Path.Combine(_folder, "data", "PG_VERSION")), Is.True);
    }

    [Test]
    public void Missing_binaries_give_one_clear_message()
    {
        var failure = Assert.Throws<EmbeddedPostgresException>(
            () => EmbeddedPostgres.Start(_folder, binDirectory: "/no/such/postgresql/bin"));

        Assert.That(failure!.Message, Does.Contain("/no/such/postgresql/bin"));
        Assert.That(failure.Message, Does.Contain("apt-get install -y postgresql"));
        Assert.That(failure.Message, Does.Contain("PADU_DATABASE_URL"));
    }

    [TestCase("postgres://hub:s%40cret@db.example:6543/padu_prod?SSL Mode=Require", "db.example", 6543, "padu_prod", "hub", "s@cret")]
    [TestCase("postgresql://hub@localhost/", "localhost", 5432, "padu", "hub", null)]
    [TestCase("Host=10.0.0.5;Port=5433;Database=x;Username=u;Password=p", "10.0.0.5", 5433, "x", "u", "p")]
    public void Configured_urls_and_connection_strings_are_understood(string value, string host, int port, string database,
        string user, string? password)
    {
        var parsed = new NpgsqlConnectionStringBuilder(PaduDatabase.ToNpgsqlConnectionString(value));

        Assert.That((parsed.Host, parsed.Port, parsed.Database, parsed.Username, parsed.Password),
            Is.EqualTo((host, port, database, user, password)));
    }
}
