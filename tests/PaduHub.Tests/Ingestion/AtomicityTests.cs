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
