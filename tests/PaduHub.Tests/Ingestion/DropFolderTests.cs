using PaduHub.Ingestion;

namespace PaduHub.Tests.Ingestion;

public sealed class DropFolderTests : IngestionFixture
{
    [Test]
    public async Task A_sweep_loads_each_inbox_in_name_order_and_files_every_file_with_its_receipt()
    {
        var drop = new DropFolders(Path.Combine(Scratch, "dropbox"), Loader);
        drop.Prepare();
        var inbox = drop.Inbox("JPN");
        File.Copy(Demo("extracts/jpn_full.csv"), Path.Combine(inbox, "jpn_full.csv"));
        File.Copy(Demo("deltas/jpn_delta_0002.csv"), Path.Combine(inbox, "jpn_delta_0002.csv"));
        File.Copy(Demo("deltas/jpn_delta_0001.csv"), Path.Combine(inbox, "jpn_delta_0001.csv"));
        File.WriteAllText(Path.Combine(inbox, "jpn_full_broken.csv"), "NO_KP;NAMA\n");
        File.WriteAllText(Path.Combine(inbox, "jpn_full_still_copying.csv.part"), "");

        var receipts = await drop.SweepAsync(DateTime.UtcNow + DropFolders.SettleTime);

        Assert.That(receipts.Select(r => (r.FileName, r.Status)), Is.EqualTo(new[]
        {
            ("jpn_delta_0001.csv", "loaded"), ("jpn_delta_0002.csv", "loaded"), ("jpn_full.csv", "loaded"), ("jpn_full_broken.csv", "rejected"),
        }));
        Assert.That(receipts.Select(r => r.ReceivedVia), Is.All.EqualTo("drop-folder"));
        Assert.That(Directory.GetFiles(inbox).Select(Path.GetFileName), Is.EqualTo(new[] { "jpn_full_still_copying.csv.part" }));
        var archived = Directory.GetFiles(Path.Combine(Scratch, "dropbox", "JPN", "archive"));
        var failed = Directory.GetFiles(Path.Combine(Scratch, "dropbox", "JPN", "failed"));
        Assert.That(archived, Has.Length.EqualTo(6), "three files, each with its receipt");
        Assert.That(failed.Single(f => f.EndsWith(".receipt.txt", StringComparison.Ordinal)), Does.Exist);
        Assert.That(File.ReadAllText(failed.Single(f => f.EndsWith(".receipt.txt", StringComparison.Ordinal))), Does.Contain("header does not match"));
    }

    [Test]
    public async Task Kept_files_go_after_their_retention_and_a_waiting_file_stays()
    {
        var drop = new DropFolders(Path.Combine(Scratch, "dropbox"), Loader);
        drop.Prepare();
        File.Copy(Demo("extracts/jpn_full.csv"), Path.Combine(drop.Inbox("JPN"), "jpn_full.csv"));
        await drop.SweepAsync(DateTime.UtcNow + DropFolders.SettleTime);
        var archive = Path.Combine(Scratch, "dropbox", "JPN", "archive");
        var old = Directory.GetFiles(archive);
        foreach (var file in old)
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-31));
        }
        var fresh = Path.Combine(archive, "20991231000000-jpn_full_later.csv");
        File.WriteAllText(fresh, "kept");

        Assert.That(drop.Prune(TimeSpan.FromDays(30)), Is.EqualTo(old.Length));
        Assert.That(Directory.GetFiles(archive), Is.EqualTo(new[] { fresh }));

        // The spool: a held delta's file waits however old it is; a leftover nobody waits on goes.
        var waiting = await Loader.ReceiveAsync(new ExtractRequest("JPN", Demo("deltas/jpn_delta_0003.csv"), "jpn_delta_0003.csv", "api"));
        var waitingFile = await Scalar<string>("select spool_path from extract where id = @id", new { id = waiting.Id });
        var leftover = Path.Combine(Scratch, "spool", "incoming", "1234.part");
        Directory.CreateDirectory(Path.GetDirectoryName(leftover)!);
        File.WriteAllText(leftover, "half an upload");
        foreach (var file in new[] { waitingFile, leftover })
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-31));
        }

        Assert.That(await Loader.PruneSpoolAsync(TimeSpan.FromDays(30)), Is.EqualTo(1));
        Assert.That(waitingFile, Does.Exist);
        Assert.That(leftover, Does.Not.Exist);
    }

    [Test]
    public async Task Files_still_being_written_wait_for_the_next_sweep()
    {
        var drop = new DropFolders(Path.Combine(Scratch, "dropbox"), Loader);
        drop.Prepare();
        var arriving = Path.Combine(drop.Inbox("JPN"), "jpn_full.csv");
        File.Copy(Demo("extracts/jpn_full.csv"), arriving);
        File.SetLastWriteTimeUtc(arriving, DateTime.UtcNow); // being written right now

        var receipts = await drop.SweepAsync(DateTime.UtcNow);

        Assert.That(receipts, Is.Empty);
        Assert.That(File.Exists(Path.Combine(drop.Inbox("JPN"), "jpn_full.csv")), Is.True);
    }
}
