using Dapper;
using Npgsql;
using PaduHub.Database;

namespace PaduHub.Tests.Database;

public sealed class MigrationTests
{
    [Test]
    public async Task Fresh_database_gets_every_shipped_migration_once()
    {
        var connectionString = await TestDatabase.CreateAsync("migrate_once", migrate: false);

        var first = await SchemaMigrator.MigrateAsync(connectionString);
        var second = await SchemaMigrator.MigrateAsync(connectionString);

        Assert.That(first.SchemaVersion, Is.EqualTo(SchemaMigrator.LatestVersion));
        Assert.That(first.Applied, Has.Count.EqualTo(SchemaMigrator.Shipped.Count));
        Assert.That(second.Applied, Is.Empty);
        await using var connection = new NpgsqlConnection(connectionString);
        var rows = await connection.ExecuteScalarAsync<int>("select count(*) from padu_schema_version");
        Assert.That(rows, Is.EqualTo(SchemaMigrator.Shipped.Count));
        await TestDatabase.DropAsync(connectionString);
    }

    [Test]
    public async Task Database_newer_than_the_code_is_refused()
    {
        var connectionString = await TestDatabase.CreateAsync("newer_schema");
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.ExecuteAsync(
                "insert into padu_schema_version (version, name, checksum) values (@v, 'from_the_future', 'x')",
                new { v = SchemaMigrator.LatestVersion + 1 });
        }

        var refusal = await Assert.ThrowsAsync<SchemaMismatchException>(() => SchemaMigrator.MigrateAsync(connectionString));

        Assert.That(refusal!.Message, Does.Contain("newer than this PaduHub"));
        Assert.That(refusal.Message, Does.Contain($"version {SchemaMigrator.LatestVersion + 1}"));
        await TestDatabase.DropAsync(connectionString);
    }

    [Test]
    public async Task Edited_script_is_refused()
    {
        var connectionString = await TestDatabase.CreateAsync("edited_script");
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.ExecuteAsync("update padu_schema_version set checksum = 'edited' where version = 1");
        }

        var refusal = await Assert.ThrowsAsync<SchemaMismatchException>(() => SchemaMigrator.MigrateAsync(connectionString));

        Assert.That(refusal!.Message, Does.Contain("changed after it was applied"));
        await TestDatabase.DropAsync(connectionString);
    }

    [Test]
    public async Task Hubs_starting_together_apply_each_script_once()
    {
        var connectionString = await TestDatabase.CreateAsync("concurrent", migrate: false);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SchemaMigrator.MigrateAsync(connectionString))));

        Assert.That(results.Sum(r => r.Applied.Count), Is.EqualTo(SchemaMigrator.Shipped.Count));
        Assert.That(results.Select(r => r.SchemaVersion), Is.All.EqualTo(SchemaMigrator.LatestVersion));
        await TestDatabase.DropAsync(connectionString);
    }

    [Test]
    public async Task Failing_script_leaves_no_trace_and_keeps_earlier_ones()
    {
        var connectionString = await TestDatabase.CreateAsync("failing_script", migrate: false);
        List<Migration> scripts =
        [
            new(1, "good", "create table good_table (id int)"),
            new(2, "bad", "create table half_table (id int); select * from no_such_table"),
        ];

        await Assert.ThrowsAsync<PostgresException>(() => SchemaMigrator.MigrateAsync(connectionString, scripts));

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        Assert.That(await SchemaMigrator.CurrentVersionAsync(connection), Is.EqualTo(1));
        Assert.That(await connection.ExecuteScalarAsync<bool>("select to_regclass('half_table') is null"), Is.True);
        Assert.That(await connection.ExecuteScalarAsync<bool>("select to_regclass('good_table') is not null"), Is.True);
        await connection.CloseAsync();
        await TestDatabase.DropAsync(connectionString);
    }

    [Test]
    public void Gaps_in_the_numbering_are_refused()
    {
        List<Migration> scripts = [new(1, "a", "select 1"), new(3, "c", "select 1")];

        var refusal = Assert.Throws<InvalidOperationException>(() => SchemaMigrator.Validate(scripts));

        Assert.That(refusal!.Message, Does.Contain("without gaps"));
    }

    [Test]
    public void Shipped_scripts_start_at_one_and_are_numbered_in_order()
    {
        Assert.That(SchemaMigrator.Shipped.Select(m => m.Version), Is.EqualTo(Enumerable.Range(1, SchemaMigrator.Shipped.Count)));
    }
}
