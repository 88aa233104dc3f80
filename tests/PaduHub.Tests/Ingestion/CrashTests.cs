using System.Diagnostics;
using Dapper;
using Npgsql;
using PaduHub.Samples;

namespace PaduHub.Tests.Ingestion;

/// <summary>The real thing: the padu process is SIGKILLed in the middle of a load.</summary>
public sealed class CrashTests : IngestionFixture
{
    [Test]
    public async Task Ingest_killed_during_its_copy_leaves_nothing_and_the_file_loads_afterwards()
    {
        var population = Path.Combine(Scratch, "population");
        PopulationGenerator.Generate(new GeneratorOptions { People = 150_000, Seed = 11, OutDir = population });
        var file = Path.Combine(population, "extracts", "jpn_full.csv");
        var start = new ProcessStartInfo("dotnet", [PaduCommand.Dll(), "ingest", file, "--agency", "JPN"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PADU_DATABASE_URL"] = ConnectionString;
        start.Environment["PADU_HOME"] = Path.Combine(Scratch, "home");

        using var padu = Process.Start(start)!;
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database;
        var copying = false;
        await using (var watcher = new NpgsqlConnection(TestDatabase.AdminConnectionString))
        {
            for (var i = 0; i < 600 && !copying && !padu.HasExited; i++)
            {
                copying = await watcher.ExecuteScalarAsync<bool>(
                    "select exists (select 1 from pg_stat_activity where datname = @database and query like 'copy %')", new { database });
                await Task.Delay(50);
            }
        }
        Assert.That(copying, Is.True, "caught the load in its COPY");
        padu.Kill(); // SIGKILL: no finally blocks, no rollback from the client
        await padu.WaitForExitAsync();

        // The server notices the dead client and aborts its transaction.
        var left = -1;
        for (var i = 0; i < 100 && left != 0; i++)
        {
            left = await Scalar<int>("select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'");
            await Task.Delay(100);
        }
        Assert.That(await Scalar<int>("select count(*) from extract"), Is.Zero, "no receipt for a load that never finished");
        Assert.That(await Scalar<int>("select count(*) from source_record"), Is.Zero);
        Assert.That(await Scalar<int>("select count(*) from source_record_version"), Is.Zero);

        var retry = await Load("JPN", file);

        Assert.That(retry.Status, Is.EqualTo("loaded"));
        Assert.That(retry.Inserted, Is.EqualTo(File.ReadLines(file).Count() - 1));
    }
}
