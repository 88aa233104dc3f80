using Dapper;
using Microsoft.Extensions.Configuration;
using Npgsql;
using PaduHub.Database;

namespace PaduHub.Tests.Database;

/// <summary>The read API's connections: one generic plan per statement, a small pool when the database shares the machine.</summary>
public sealed class KeyLookupConnectionTests
{
    static PaduDatabase Configured(string connectionString) =>
        PaduDatabase.Open(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Padu"] = connectionString }).Build());

    [Test]
    public async Task Lookups_run_on_generic_plans()
    {
        var connectionString = await TestDatabase.CreateAsync("lookup_plans");
        using var database = Configured(connectionString);

        var mode = await database.LookUpAsync(connection => connection.ExecuteScalarAsync<string>("show plan_cache_mode"));

        Assert.That(mode, Is.EqualTo("force_generic_plan"));
        await using var ordinary = database.Connect();
        Assert.That(await ordinary.ExecuteScalarAsync<string>("show plan_cache_mode"), Is.EqualTo("auto"), "other request work keeps PostgreSQL's own choice");
        await TestDatabase.DropAsync(connectionString);
    }

    [TestCase("Host=127.0.0.1;Database=padu", true)]
    [TestCase("Host=/var/run/postgresql;Database=padu", true)]
    [TestCase("Host=db.example;Database=padu", false)]
    [TestCase("Host=db.example;Database=padu;Maximum Pool Size=7", false)]
    public void The_pool_is_small_only_when_the_database_shares_the_machine(string connectionString, bool local)
    {
        using var database = Configured(connectionString);
        var given = new NpgsqlConnectionStringBuilder(connectionString).MaxPoolSize;

        var pool = new NpgsqlConnectionStringBuilder(database.ConnectForKeyLookups().ConnectionString).MaxPoolSize;

        Assert.That(pool, Is.EqualTo(local ? Math.Min(given, 2 * Environment.ProcessorCount) : given));
    }

    [Test]
    public async Task A_lookup_by_identifier_without_its_kind_probes_an_index_on_the_value()
    {
        var connectionString = await TestDatabase.CreateAsync("lookup_by_value");
        await using var connection = new NpgsqlConnection(connectionString);
        // Enough rows that a walk of the whole primary key would be the planner's last resort, not its first choice.
        await connection.ExecuteAsync("""
            insert into golden_identifier (kind, value, golden_id, agencies)
            select (array['MYKAD','OLD_IC','ARMY','POLICE'])[1 + n % 4], lpad(n::text, 12, '0'), n, array['JPN'] from generate_series(1, 40000) n;
            analyze golden_identifier;
            """);

        var plan = string.Join("\n", await connection.QueryAsync<string>(
            "explain select golden_id from golden_identifier where value = '000000012345'"));

        Assert.That(plan, Does.Contain("golden_identifier_value"));
        await TestDatabase.DropAsync(connectionString);
    }
}
