using PaduHub.Samples;

namespace PaduHub.Tests.Ingestion;

public sealed class AtomicityTests : IngestionFixture
{
    string BigJpnExtract()
    {
        var folder = Path.Combine(Scratch, "population");
        PopulationGenerator.Generate(new GeneratorOptions { People = 30_000, Seed = 3, OutDir = folder });
        return Path.Combine(folder, "extracts", "jpn_full.csv");
    }

    [Test]
    public async Task An_extract_stopped_half_way_leaves_nothing_and_loads_again_later()
    {
        var path = BigJpnExtract();
        using var stop = new CancellationTokenSource();
        var progress = new Progress<long>(bytes => { if (bytes > 1_000_000) { stop.Cancel(); } });

        await Assert.CatchAsync<OperationCanceledException>(() => Loader.LoadAsync(
            new PaduHub.Ingestion.ExtractRequest("JPN", path, "jpn_full.csv", "cli"), progress, stop.Token));

        Assert.That(await Scalar<int>("select count(*) from extract"), Is.Zero, "no receipt for a load that did not finish");
        Assert.That(await Scalar<int>("select count(*) from source_record"), Is.Zero);
        var retry = await Load("JPN", path);
        Assert.That(retry.Status, Is.EqualTo("loaded"));
        Assert.That(retry.Inserted, Is.EqualTo(File.ReadLines(path).Count() - 1));
    }

    [Test]
    public async Task Merges_of_different_agencies_take_turns_for_record_ids_and_all_land()
    {
        // First loads (their own partitions), then next snapshots with new keys: those take ids from the sequences.
        var kwsp = File.ReadAllLines(Demo("extracts/kwsp_full.csv"));
        var lhdn = File.ReadAllLines(Demo("extracts/lhdn_full.txt"));
        await Load("KWSP", Write("kwsp_full_1.csv", string.Join("\n", kwsp.Take(kwsp.Length / 2)) + "\n"));
        await Load("LHDN", Write("lhdn_full_1.txt", string.Join("\n", lhdn.Take(lhdn.Length / 2)) + "\n"));
        var nextKwsp = Write("kwsp_full_2.csv", string.Join("\n", kwsp) + "\n");
        var nextLhdn = Write("lhdn_full_2.txt", string.Join("\n", lhdn) + "\n");

        // While another transaction holds the turn, a merge waits for it; it goes on when the turn is free.
        await using (var holder = new Npgsql.NpgsqlConnection(ConnectionString))
        {
            await holder.OpenAsync();
            await using var turn = await holder.BeginTransactionAsync();
            await PaduHub.Ingestion.SourceIds.LockAsync(holder, turn, CancellationToken.None);
            var waiting = Task.Run(() => Load("KWSP", nextKwsp));
            await Task.Delay(1_500);
            Assert.That(waiting.IsCompleted, Is.False, "the merge waits for its turn");
            await turn.RollbackAsync();
            Assert.That((await waiting).Status, Is.EqualTo("loaded"));
        }

        var receipt = await Load("LHDN", nextLhdn);
        Assert.That(receipt.Status, Is.EqualTo("loaded"));
        Assert.That(receipt.Inserted, Is.GreaterThan(0));
        Assert.That(await Scalar<long>("select count(*) from source_record"), Is.EqualTo(await Scalar<long>("select count(distinct id) from source_record")));
    }

    [Test]
    public async Task Two_extracts_of_one_agency_at_once_load_one_after_the_other()
    {
        var first = Write("jpn_full_a.csv", string.Join("\n", JpnHeader, JpnRow("850312145573"), JpnRow("900101101235")) + "\n");
        var second = Write("jpn_full_b.csv", string.Join("\n", JpnHeader, JpnRow("850312145573"), JpnRow("010203141239")) + "\n");

        var receipts = await Task.WhenAll(Task.Run(() => Load("JPN", first)), Task.Run(() => Load("JPN", second)));

        Assert.That(receipts.Select(r => r.Status), Is.All.EqualTo("loaded"));
        Assert.That(receipts.Sum(r => r.Inserted), Is.EqualTo(3), "the second saw the first's records: one shared key was inserted once");
        Assert.That(receipts.Sum(r => r.Withdrawn), Is.EqualTo(1), "the later snapshot withdrew the record only the earlier one had");
        Assert.That(await Scalar<int>("select count(*) from source_record where status = 'active'"), Is.EqualTo(2));
    }
}
