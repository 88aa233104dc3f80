using Dapper;
using Npgsql;
using PaduHub.GoldenRecords;
using PaduHub.Households;
using PaduHub.Ingestion;
using PaduHub.Tests.Ingestion;

namespace PaduHub.Tests.ScaleOut;

/// <summary>
/// The layout for a distributed PostgreSQL (sql/scale-out/distributed_layout.sql), rehearsed on plain PostgreSQL over
/// the demo population matched into golden records and households: it places every table of the hub, keeps every
/// primary key it distributes (PostgreSQL, like Citus, refuses one without the distribution column), carries every
/// row, reads a lookup by the distribution column from one partition and joins a colocated group partition by partition.
/// </summary>
public sealed class DistributedLayoutTests : IngestionFixture
{
    static readonly string[] s_agencies = ["JKM", "JPN", "KWSP", "LHDN", "TNB"];

    [Test]
    public async Task The_distributed_layout_places_every_table_keeps_its_keys_and_carries_every_row()
    {
        foreach (var agency in s_agencies)
        {
            await Load(agency, Directory.GetFiles(Demo("extracts"), agency.ToLowerInvariant() + "_full.*").Single());
        }
        await new PersonMatching(ConnectionString, AgencyContracts.Load(), Path.Combine(Scratch, "index")).FullRematchAsync();
        await new GoldenHouseholds(ConnectionString).RebuildAsync();

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "sql", "scale-out", "distributed_layout.sql")), commandTimeout: 0);

        var tables = (await connection.QueryAsync<string>("""
            select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by 1
            """)).ToList();
        var placed = (await connection.QueryAsync<string>("select table_name from distributed.layout where table_name <> 'source_key' order by 1")).ToList();
        Assert.That(placed, Is.EqualTo(tables), "every table of the hub has a place in the layout, and only those");

        foreach (var table in await connection.QueryAsync<string>("select table_name from distributed.layout where kind = 'distributed' and table_name <> 'source_key'"))
        {
            var (hub, distributed) = await connection.QuerySingleAsync<(long, long)>(
                $"select (select count(*) from public.{table}), (select count(*) from distributed.{table})");
            Assert.That(distributed, Is.EqualTo(hub), $"{table}: every row carried");
        }
        Assert.That(await connection.ExecuteScalarAsync<long>("select count(*) from distributed.golden_member"), Is.GreaterThan(4000));

        var person = await connection.ExecuteScalarAsync<long>("select min(id) from golden_person");
        var lookup = string.Join("\n", await connection.QueryAsync<string>($"explain (costs off) select * from distributed.golden_member where golden_id = {person}"));
        var partitions = System.Text.RegularExpressions.Regex.Matches(lookup, @"golden_member_(\d)").Select(m => m.Groups[1].Value).Distinct();
        Assert.That(partitions.Count(), Is.EqualTo(1), "a lookup by the distribution column reads one partition:\n" + lookup);

        await connection.ExecuteAsync("set enable_partitionwise_join = on");
        var join = string.Join("\n", await connection.QueryAsync<string>("""
            explain (costs off) select p.id, m.source_record_id from distributed.golden_person p join distributed.golden_member m on m.golden_id = p.id
            """));
        Assert.That(System.Text.RegularExpressions.Regex.Matches(join, " Join").Count, Is.EqualTo(8), "one join per pair of colocated partitions:\n" + join);
    }
}
