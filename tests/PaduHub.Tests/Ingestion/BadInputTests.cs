using System.Text;
using PaduHub.Ingestion;

namespace PaduHub.Tests.Ingestion;

/// <summary>Each kind of bad input gets a clear error naming where and why, and nothing is lost or half-written.</summary>
public sealed class BadInputTests : IngestionFixture
{
    [Test]
    public async Task Bad_rows_are_rejected_with_line_field_and_reason_and_the_rest_loads()
    {
        var text = string.Join("\n",
            JpnHeader,
            JpnRow("850312145573"),                                       // line 2: good
            JpnRow("851312145573"),                                       // line 3: month 13 in the MyKad
            JpnRow("900101101235", dob: "19903101"),                      // line 4: not a date
            "900102101235,,ONLY,THREE",                                   // line 5: ragged
            JpnRow("900103101235", name: "AHMAD \"BOB\" ISMAIL"),          // line 6: stray quote
            JpnRow("900104101235", name: "AH\0MAD"),                      // line 7: NUL byte
            JpnRow("", name: "NO KEY", dob: "19900101"),                  // line 8: empty key
            JpnRow("900105101235").Replace(",L,", ",X,", StringComparison.Ordinal), // line 9: unknown sex code
            JpnRow("900106101235", name: new string('A', 151)),           // line 10: too long
            JpnRow("010203141239")) + "\n";                               // line 11: good

        var receipt = await Load("JPN", Write("jpn_full.csv", text));
        var rejected = await Rejections(receipt.Id);

        Assert.That(receipt.Status, Is.EqualTo("loaded"));
        Assert.That((receipt.RowsRead, receipt.Inserted, receipt.Rejected), Is.EqualTo((10, 2, 8)));
        Assert.That(rejected.Select(r => (r.LineNumber, r.Field)), Is.EqualTo(new (long, string?)[]
        {
            (3, "NO_KP"), (4, "TARIKH_LAHIR"), (5, null), (6, null), (7, "NAMA"), (8, "NO_KP"), (9, "JANTINA"), (10, "NAMA"),
        }));
        Assert.That(rejected[0].Reason, Does.Contain("not a valid MyKad number"));
        Assert.That(rejected[1].Reason, Does.Contain("not a date in the format yyyyMMdd"));
        Assert.That(rejected[2].Reason, Does.Contain("different number of fields"));
        Assert.That(rejected[3].Reason, Does.Contain("quote"));
        Assert.That(rejected[4].Reason, Does.Contain("NUL byte"));
        Assert.That(rejected[5].Reason, Does.Contain("mandatory key"));
        Assert.That(rejected[6].Reason, Does.Contain("not one of the codes L, P"));
        Assert.That(rejected[7].Reason, Does.Contain("151 characters long"));
        Assert.That(await Scalar<string>("select raw_line from rejected_row where line_number = 5"), Is.EqualTo("900102101235,,ONLY,THREE"),
            "the raw line is kept for the agency");
        Assert.That(rejected.Select(r => r.Reason), Has.None.Contains("851312145573"), "reasons never repeat the IC number");
    }

    static IEnumerable<TestCaseData> WholeFileRejections()
    {
        yield return new TestCaseData("JPN", "jpn_full.csv", Array.Empty<byte>(), "the file is empty").SetName("Empty file");
        yield return new TestCaseData("JPN", "jpn_full.csv", Utf8("NO_KP,NAMA\n850312145573,AHMAD\n"), "missing columns: NO_KP_LAMA")
            .SetName("Header that does not match the contract");
        yield return new TestCaseData("LHDN", "lhdn_full.txt",
            Utf8("tin,id_type,id_no,taxpayer_name,date_of_birth,assessment_year,employment_income,other_income,employer_name,postcode\nIG1,NRIC,850312145573,Ali,01/01/1985,2025,1.00,0.00,,50450\n"),
            "looks comma-separated but the contract says pipe").SetName("Wrong delimiter");
        yield return new TestCaseData("JPN", "jpn_full.csv", (byte[])[.. Utf8(JpnHeader + "\n" + JpnRow("850312145573") + "\n"), .. Encoding.Latin1.GetBytes(JpnRow("900101101235", name: "JOS\u00C9 RIZAL") + "\n")],
            "line 3 is not valid UTF-8").SetName("Windows-1252 bytes in a UTF-8 extract");
        yield return new TestCaseData("KWSP", "kwsp_full.csv", (byte[])[0xEF, 0xBB, 0xBF, .. Utf8("MEMBER_NO;IC_TYPE;IC_NO;MEMBER_NAME;DATE_OF_BIRTH;SEX;EMPLOYER_NO;EMPLOYER_NAME;MONTHLY_WAGE;LAST_CONTRIBUTION_MONTH\n10000001;K/P BARU;850312-14-5573;ALI;12-03-1985;M;;;0.00;2020-01\n")],
            "UTF-8 byte order mark, but KWSP's contract says windows-1252").SetName("BOM file for a Windows-1252 agency");
        yield return new TestCaseData("JPN", "jpn_full.csv", Utf8(JpnHeader + "\n" + JpnRow("850312145573") + "\n" + JpnRow("900101101235")[..40]),
            "looks truncated").SetName("Truncated file");
        yield return new TestCaseData("JPN", "jpn_full.csv", Utf8(JpnHeader + "\n"), "header but no rows").SetName("Full extract with a header only");
        yield return new TestCaseData("JPN", "jpn_full.csv", (byte[])[0xFF, 0xFE, .. Encoding.Unicode.GetBytes(JpnHeader)], "UTF-16").SetName("UTF-16 file");
    }

    static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Test]
    public async Task A_utf8_byte_order_mark_on_a_utf8_agency_s_file_is_its_encoding_said_twice_and_loads()
    {
        // Decided: a UTF-8 signature where the contract says UTF-8 agrees with it (spreadsheets write one); only where
        // the contract says another encoding is it refused (above).
        var receipt = await Load("JPN", WriteBytes("jpn_full.csv", [0xEF, 0xBB, 0xBF, .. Utf8(JpnHeader + "\n" + JpnRow("850312145573") + "\n")]));

        Assert.That((receipt.Status, receipt.Inserted), Is.EqualTo(("loaded", 1)));
        Assert.That(await Scalar<string>("select source_key from source_record"), Is.EqualTo("850312145573"), "the mark is not part of the first key");
    }

    [TestCaseSource(nameof(WholeFileRejections))]
    public async Task Unreadable_file_is_rejected_whole_with_a_receipt_saying_why(string agency, string name, byte[] bytes, string because)
    {
        var receipt = await Load(agency, WriteBytes(name, bytes));

        Assert.That(receipt.Status, Is.EqualTo("rejected"));
        Assert.That(receipt.Reason, Does.Contain(because));
        Assert.That(await Scalar<int>("select count(*) from source_record"), Is.Zero, "nothing was loaded");
        Assert.That(await Scalar<int>("select count(*) from rejected_row"), Is.Zero);
    }

    [Test]
    // Allocation is counted process-wide, so nothing else may run meanwhile (matching tests allocate hundreds of MB).
    [NonParallelizable]
    public async Task A_100_MB_field_rejects_the_file_without_reading_it_into_memory()
    {
        var path = Path.Combine(Scratch, "jpn_full.csv");
        await using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            await writer.WriteLineAsync(JpnHeader);
            await writer.WriteLineAsync(JpnRow("850312145573"));
            await writer.WriteAsync("900101101235,,");
            var chunk = new string('A', 1 << 20);
            for (var i = 0; i < 100; i++)
            {
                await writer.WriteAsync(chunk);
            }
            await writer.WriteLineAsync(",L,19900101,14,W,X,,50450,KL,WP KUALA LUMPUR,BUJANG,,,,");
        }
        var before = GC.GetTotalAllocatedBytes();

        var receipt = await Load("JPN", path);

        Assert.That(receipt.Status, Is.EqualTo("rejected"));
        Assert.That(receipt.Reason, Does.Contain("line 3 is longer than 1,024 KiB"));
        Assert.That(GC.GetTotalAllocatedBytes() - before, Is.LessThan(100L << 20), "less than the field itself: it was never buffered whole");
        Assert.That(await Scalar<int>("select count(*) from source_record"), Is.Zero);
    }

    [Test]
    public async Task Unknown_agency_is_refused_naming_the_known_ones()
    {
        var refusal = await Assert.ThrowsAsync<UnknownAgencyException>(() => Load("XYZ", Demo("extracts/jpn_full.csv")));

        Assert.That(refusal!.Message, Does.Contain("unknown agency 'XYZ'"));
        Assert.That(refusal.Message, Does.Contain("JKM, JPN, KWSP, LHDN, TNB"));
    }

    [Test]
    public async Task File_named_like_neither_full_nor_delta_needs_to_say_which()
    {
        var refusal = await Assert.ThrowsAsync<ExtractRequestException>(() => Load("JPN", Demo("extracts/jpn_full.csv"), name: "export.csv"));

        Assert.That(refusal!.Message, Does.Contain("named like neither a full extract"));
    }
}
