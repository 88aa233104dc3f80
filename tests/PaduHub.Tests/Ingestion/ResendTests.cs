using PaduHub.Ingestion;

namespace PaduHub.Tests.Ingestion;

/// <summary>Files sent again: after a refusal that said how to fix it, on quiet days, and after a hub died holding them.</summary>
public sealed class ResendTests : IngestionFixture
{
    const string DeltaHeader = "OP,SEQ," + JpnHeader;

    [Test]
    public async Task A_refused_file_can_be_sent_again_as_the_refusal_said()
    {
        await Load("JPN", Write("jpn_full.csv", JpnHeader + "\n" + JpnRow("850312145573") + "\n"));
        await Load("JPN", Write("jpn_delta_0001.csv", DeltaHeader + "\nI,1," + JpnRow("010101141239") + "\n"));
        var late = Write("jpn_delta_0001b.csv", DeltaHeader + "\nI,1," + JpnRow("020202141239") + "\n");

        var refused = await Load("JPN", late, name: "jpn_delta_0001.csv");
        Assert.That(refused.Status, Is.EqualTo("rejected"));
        Assert.That(refused.Reason, Does.Contain("send sequence 2"));

        var resent = await Load("JPN", late, name: "jpn_delta_0002.csv");
        Assert.That((resent.Status, resent.Duplicate), Is.EqualTo(("loaded", false)), "the same bytes as the sequence asked for");
        Assert.That(resent.Id, Is.Not.EqualTo(refused.Id));
        var again = await Load("JPN", late, name: "jpn_delta_0001.csv");
        Assert.That((again.Status, again.Id), Is.Not.EqualTo(("rejected", refused.Id)), "a refusal is not a receipt that swallows the bytes");
        Assert.That(await Scalar<int>("select count(*) from source_record"), Is.EqualTo(3));
    }

    [Test]
    public async Task Two_quiet_days_are_two_deltas_and_the_next_one_is_not_held()
    {
        await Load("JPN", Write("jpn_full.csv", JpnHeader + "\n" + JpnRow("850312145573") + "\n"));
        var nothing = DeltaHeader + "\n";

        var monday = await Load("JPN", Write("jpn_delta_0001.csv", nothing));
        var tuesday = await Load("JPN", Write("jpn_delta_0002.csv", nothing));
        var wednesday = await Load("JPN", Write("jpn_delta_0003.csv", DeltaHeader + "\nI,1," + JpnRow("030303141239") + "\n"));

        Assert.That(new[] { monday, tuesday, wednesday }.Select(r => (r.Status, r.Duplicate)), Is.All.EqualTo(("loaded", false)));
        Assert.That(await Scalar<int>("select last_sequence from agency_delta_state where agency_code = 'JPN'"), Is.EqualTo(3));
        var twice = await Load("JPN", Write("jpn_delta_0002.csv", nothing));
        Assert.That((twice.Duplicate, twice.Id), Is.EqualTo((true, tuesday.Id)), "the same day's file sent twice is still one");
    }

    [Test]
    public async Task A_file_received_by_a_hub_that_died_before_loading_it_loads_once_when_sent_again()
    {
        await Load("JPN", Write("jpn_full.csv", JpnHeader + "\n" + JpnRow("850312145573") + "\n"));
        var path = Write("jpn_delta_0001.csv", DeltaHeader + "\nI,1," + JpnRow("010101141239") + "\n");
        // What an upload leaves when the hub is killed after taking the file: a queued receipt and the bytes in the spool.
        var received = await Loader.ReceiveAsync(new ExtractRequest("JPN", path, "jpn_delta_0001.csv", "api"));
        Assert.That(received.Status, Is.EqualTo("queued"));

        var resent = await Load("JPN", path);
        Assert.That((resent.Id, resent.Status), Is.EqualTo((received.Id, "loaded")), "the resend loads the waiting file, under its first receipt");

        // The dead hub's job, or a starting hub's resumption, runs later: it finds the file loaded and changes nothing.
        var late = await Loader.LoadQueuedAsync(received.Id);
        Assert.That(late.Status, Is.EqualTo("loaded"));
        Assert.That(await Scalar<int>("select count(*) from source_record_version"), Is.EqualTo(2));
        Assert.That(await Scalar<int>("select count(*) from extract"), Is.EqualTo(2));
    }
}
