namespace PaduHub.Tests.Ingestion;

public sealed class DeltaExtractTests : IngestionFixture
{
    const string DeltaHeader = "OP,SEQ," + JpnHeader;

    [Test]
    public async Task Demo_deltas_apply_in_order_on_top_of_the_full_extract()
    {
        await Load("JPN", Demo("extracts/jpn_full.csv"));

        var receipts = new List<PaduHub.Ingestion.ExtractReceipt>();
        for (var day = 1; day <= 3; day++)
        {
            receipts.Add(await Load("JPN", Demo($"deltas/jpn_delta_{day:D4}.csv")));
        }

        Assert.That(receipts.Select(r => r.Status), Is.All.EqualTo("loaded"));
        Assert.That(receipts.Sum(r => r.Rejected), Is.Zero);
        Assert.That(await Scalar<int>("select last_sequence from agency_delta_state where agency_code = 'JPN'"), Is.EqualTo(3));
        var people = DelimitedFile.Read(Demo("truth/people.csv"), new System.Text.UTF8Encoding(false), ',');
        Assert.That(await Scalar<int>("select count(*) from source_record where agency_code = 'JPN'"), Is.EqualTo(people.Count),
            "every person, including those born during the delta days, has a JPN record");
        var dead = people.Count(p => p["died_on"] != "");
        Assert.That(await Scalar<int>("select count(*) from source_record r join source_record_version v on v.id = r.current_version_id where v.death_date is not null"),
            Is.EqualTo(dead), "deaths reported in the deltas are the current state");
    }

    [Test]
    public async Task Insert_update_delete_keep_every_version_and_end_in_the_last_state()
    {
        await Load("JPN", Write("jpn_full.csv", JpnHeader + "\n" + JpnRow("850312145573") + "\n"));

        var delta = await Load("JPN", Write("jpn_delta_0001.csv", string.Join("\n", DeltaHeader,
            "I,1," + JpnRow("900101101235"),
            "U,2," + JpnRow("900101101235", name: "AHMAD FAIZ BIN ISMAIL SHAH"),
            "D,3," + JpnRow("850312145573"),
            "D,4," + JpnRow("770707077777"),
            "X,5," + JpnRow("880808088888"),
            "U,4," + JpnRow("850312145573")) + "\n"));

        Assert.That((delta.Inserted, delta.Updated, delta.Deleted, delta.Rejected), Is.EqualTo((1, 1, 1, 3)));
        Assert.That(await Scalar<string>("select status from source_record where source_key = '850312145573'"), Is.EqualTo("deleted"),
            "a delete is a status, never a removal");
        Assert.That(await Scalar<int>("select count(*) from source_record_version v join source_record r on r.id = v.source_record_id where r.source_key = '900101101235'"),
            Is.EqualTo(2));
        var rejected = await Rejections(delta.Id);
        Assert.That(rejected.Select(r => (r.LineNumber, r.Field)), Is.EqualTo(new (long, string?)[] { (5, "OP"), (6, "OP"), (7, "SEQ") }));
        Assert.That(rejected[0].Reason, Does.Contain("deletes a record this agency never sent"));
        Assert.That(rejected[2].Reason, Does.Contain("greater than the previous row's"));
    }

    [Test]
    public async Task A_second_insert_of_one_key_is_refused_as_a_full_extract_refuses_a_second_row()
    {
        await Load("JPN", Write("jpn_full.csv", JpnHeader + "\n" + JpnRow("850312145573") + "\n"));

        var delta = await Load("JPN", Write("jpn_delta_0001.csv", string.Join("\n", DeltaHeader,
            "I,1," + JpnRow("900101101235"),
            "I,2," + JpnRow("900101101235", name: "AHMAD FAIZ BIN ISMAIL SHAH"),
            "D,3," + JpnRow("900101101235"),
            "I,4," + JpnRow("900101101235")) + "\n"));

        Assert.That((delta.Inserted, delta.Updated, delta.Deleted, delta.Rejected), Is.EqualTo((1, 1, 1, 1)), "an insert after a delete is a new insert");
        var rejected = await Rejections(delta.Id);
        Assert.That(rejected.Select(r => (r.LineNumber, r.Field)), Is.EqualTo(new (long, string?)[] { (3, "OP") }));
        Assert.That(rejected[0].Reason, Does.Contain("inserts a record line 2 of this file already inserted"));
    }

    [Test]
    public async Task Early_delta_is_held_then_applied_when_the_gap_is_filled()
    {
        await Load("JPN", Write("jpn_full.csv", JpnHeader + "\n" + JpnRow("850312145573") + "\n"));

        var third = await Load("JPN", Write("jpn_delta_0003.csv", DeltaHeader + "\nI,1," + JpnRow("030303141239") + "\n"));
        var second = await Load("JPN", Write("jpn_delta_0002.csv", DeltaHeader + "\nI,1," + JpnRow("020202141239") + "\n"));
        Assert.That(third.Status, Is.EqualTo("held"));
        Assert.That(third.Reason, Does.Contain("waiting for delta sequence 1"));
        Assert.That(second.Status, Is.EqualTo("held"));

        var first = await Load("JPN", Write("jpn_delta_0001.csv", DeltaHeader + "\nI,1," + JpnRow("010101141239") + "\n"));

        Assert.That(first.Status, Is.EqualTo("loaded"));
        Assert.That(await Scalar<string>("select string_agg(status, ',' order by sequence) from extract where kind = 'delta'"), Is.EqualTo("loaded,loaded,loaded"));
        Assert.That(await Scalar<int>("select last_sequence from agency_delta_state"), Is.EqualTo(3));
        Assert.That(await Scalar<int>("select count(*) from source_record"), Is.EqualTo(4));
    }

    [Test]
    public async Task Same_delta_twice_is_a_no_op_and_a_different_file_with_a_used_sequence_is_rejected()
    {
        await Load("JPN", Write("jpn_full.csv", JpnHeader + "\n" + JpnRow("850312145573") + "\n"));
        var path = Write("jpn_delta_0001.csv", DeltaHeader + "\nI,1," + JpnRow("010101141239") + "\n");
        var first = await Load("JPN", path);

        var again = await Load("JPN", path);
        var other = await Load("JPN", Write("jpn_delta_0001b.csv", DeltaHeader + "\nI,1," + JpnRow("020202141239") + "\n"), name: "jpn_delta_0001.csv");

        Assert.That((again.Duplicate, again.Id), Is.EqualTo((true, first.Id)));
        Assert.That(other.Status, Is.EqualTo("rejected"));
        Assert.That(other.Reason, Does.Contain("delta sequence 1 of JPN was already applied"));
        Assert.That(await Scalar<int>("select count(*) from source_record_version"), Is.EqualTo(2));
    }
}
