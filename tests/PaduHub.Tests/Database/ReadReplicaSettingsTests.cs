using Npgsql;
using PaduHub.Database;

namespace PaduHub.Tests.Database;

/// <summary>How a read replica's setting becomes its connection, and how a wrong one is refused.</summary>
public sealed class ReadReplicaSettingsTests
{
    const string Primary = "Host=db.example;Port=5432;Database=padu;Username=padu_hub;Password=primary-secret;Maximum Pool Size=4";

    [Test]
    public void A_replica_named_by_host_alone_takes_the_primarys_user_database_and_read_settings()
    {
        var replica = ReadReplicas.For("postgres://10.0.0.7:5433", Primary);
        var built = new NpgsqlConnectionStringBuilder(replica.ConnectionString);
        Assert.That(replica.Name, Is.EqualTo("10.0.0.7:5433"), "host and port, never the credentials");
        Assert.That((built.Host, built.Port, built.Database, built.Username, built.MaxPoolSize), Is.EqualTo(("10.0.0.7", 5433, "padu", "padu_hub", 4)));
        Assert.That(built.Timeout, Is.EqualTo(3), "a dead replica is given up on quickly");
    }

    [Test]
    public void A_replica_with_its_own_user_and_database_keeps_them()
    {
        var built = new NpgsqlConnectionStringBuilder(ReadReplicas.For("postgres://reader:pw@10.0.0.8/padu_copy", Primary).ConnectionString);
        Assert.That((built.Username, built.Password, built.Database), Is.EqualTo(("reader", "pw", "padu_copy")));
    }

    [TestCase("postgres://reader:hunter2@[not-a-host")]
    [TestCase("Host=;Password=hunter2")]
    [TestCase("nonsense=hunter2")]
    public void A_malformed_replica_is_refused_naming_the_setting_and_not_its_secret(string setting)
    {
        var refused = Assert.Throws<ArgumentException>(() => ReadReplicas.For(setting, Primary))!;
        Assert.That(refused.Message, Does.Contain("PADU_READ_DATABASE_URL"));
        Assert.That(refused.Message, Does.Not.Contain("hunter2"));
    }
}
