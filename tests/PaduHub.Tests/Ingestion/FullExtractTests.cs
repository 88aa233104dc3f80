using PaduHub.Ingestion;

namespace PaduHub.Tests.Ingestion;

public sealed class FullExtractTests : IngestionFixture
{
    [Test]
    public async Task Every_row_loads_and_the_same_file_again_returns_the_first_receipt()
    {
        var first = await Load("JPN", Demo("extracts/jpn_full.csv"));
        var again = await Load("JPN", Demo("extracts/jpn_full.csv"));

        var rows = File.ReadLines(Demo("extracts/jpn_full.csv")).Count() - 1;
        Assert.That(first.Status, Is.EqualTo("loaded"));
        Assert.That((first.RowsRead, first.Inserted, first.Rejected), Is.EqualTo((rows, rows, 0)));
        Assert.That(again.Duplicate, Is.True);
        Assert.That(again.Id, Is.EqualTo(first.Id));
        Assert.That(await Scalar<int>("select count(*) from extract"), Is.EqualTo(1));
        Assert.That(await Scalar<int>("select count(*) from source_record_version"), Is.EqualTo(rows));
        Assert.That(await Scalar<int>("select count(*) from match_queue"), Is.EqualTo(rows), "every new record is queued for matching");
    }

    [Test]
    public async Task A_first_load_rejected_whole_and_sent_again_is_judged_again_and_the_first_receipt_stays_as_it_was()
    {
        // A refused file is not a receipt that swallows its bytes: sent again (the cause may be fixed on our side, or the
        // agency was told to send it under another name), it is judged again, with a receipt of its own.
        var file = Write("jpn_full.csv", JpnHeader.Replace("NAMA", "NAME", StringComparison.Ordinal) + "\n" + JpnRow("850312145573") + "\n");
        var first = await Load("JPN", file);
        var finished = await Scalar<DateTime>("select finished_at from extract where id = @id", new { id = first.Id });

        var again = await Load("JPN", file);

        Assert.That(first.Status, Is.EqualTo("rejected"));
        Assert.That((again.Duplicate, again.Status, again.Reason), Is.EqualTo((false, "rejected", first.Reason)));
        Assert.That(again.Id, Is.Not.EqualTo(first.Id));
        Assert.That(await Scalar<int>("select count(*) from extract"), Is.EqualTo(2));
        Assert.That(await Scalar<DateTime>("select finished_at from extract where id = @id", new { id = first.Id }), Is.EqualTo(finished),
            "the first receipt is left as it was");
        Assert.That(await Scalar<string>("select checksum from extract where id = @id", new { id = first.Id }), Has.Length.EqualTo(64));
    }

    [Test]
    public async Task A_first_load_lands_as_its_own_partition_with_the_checksum_on_its_receipt()
    {
        var receipt = await Load("JPN", Demo("extracts/jpn_full.csv"));

        Assert.That(await Scalar<string>("select checksum from extract where id = @id", new { id = receipt.Id }),
            Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Demo("extracts/jpn_full.csv"))))));
        Assert.That(await Scalar<string>("""
            select string_agg(c.relname, ',' order by c.relname) from pg_inherits i join pg_class c on c.oid = i.inhrelid
            where i.inhparent = 'source_record'::regclass
            """), Is.EqualTo($"source_record_e{receipt.Id},source_record_rolling"));
        Assert.That(await Scalar<int>("select count(*) from source_record_e" + receipt.Id), Is.EqualTo(receipt.Inserted));
        Assert.That(await Scalar<string>($"select string_agg(indexdef, '; ' order by indexdef) from pg_indexes where tablename = 'source_record_version_e{receipt.Id}'"),
            Is.EqualTo(string.Join("; ", new[]
            {
                $"CREATE INDEX source_record_version_e{receipt.Id}_extract_id_idx ON public.source_record_version_e{receipt.Id} USING brin (extract_id)",
                $"CREATE INDEX source_record_version_e{receipt.Id}_father_id_number_idx ON public.source_record_version_e{receipt.Id} USING btree (father_id_number) WHERE (father_id_number IS NOT NULL)",
                $"CREATE INDEX source_record_version_e{receipt.Id}_household_ref_idx ON public.source_record_version_e{receipt.Id} USING btree (household_ref) WHERE (household_ref IS NOT NULL)",
                $"CREATE INDEX source_record_version_e{receipt.Id}_mother_id_number_idx ON public.source_record_version_e{receipt.Id} USING btree (mother_id_number) WHERE (mother_id_number IS NOT NULL)",
                $"CREATE INDEX source_record_version_e{receipt.Id}_spouse_id_number_idx ON public.source_record_version_e{receipt.Id} USING btree (spouse_id_number) WHERE (spouse_id_number IS NOT NULL)",
                $"CREATE UNIQUE INDEX source_record_version_e{receipt.Id}_pkey ON public.source_record_version_e{receipt.Id} USING btree (id)",
            }.Order(StringComparer.Ordinal))), "one index per index of the parent, those made before the COPY adopted, not built twice");
        Assert.That(await Scalar<long>("select count(*) from source_record r join source_record_version v on v.id = r.current_version_id"),
            Is.EqualTo(receipt.Inserted), "each record finds its version");

        // The partitioned tables get planner statistics of their own once, when matching next runs.
        const string analyzed = "select min(coalesce(last_analyze, '-infinity')) from pg_stat_user_tables where relid in ('source_record'::regclass, 'source_record_version'::regclass)";
        var before = await Scalar<DateTime>(analyzed);
        await using (var connection = new Npgsql.NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await FirstLoad.AnalyzeAfterFirstLoadsAsync(connection, null, CancellationToken.None);
        }
        var after = await Scalar<DateTime>(analyzed);
        Assert.That(after, Is.GreaterThan(before));
        await using (var connection = new Npgsql.NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await FirstLoad.AnalyzeAfterFirstLoadsAsync(connection, null, CancellationToken.None);
        }
        Assert.That(await Scalar<DateTime>(analyzed), Is.EqualTo(after), "nothing new joined: not gathered again");

        // The next snapshot of the same agency goes the usual way, into the rolling partitions.
        var lines = File.ReadAllLines(Demo("extracts/jpn_full.csv"));
        var next = await Load("JPN", Write("jpn_full_2.csv", string.Join("\n", lines.Take(lines.Length - 1).Append(JpnRow("010203141239"))) + "\n"));
        Assert.That((next.Inserted, next.Withdrawn), Is.EqualTo((1, 1)));
        Assert.That(await Scalar<int>("select count(*) from source_record_rolling"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_new_snapshot_versions_what_changed_and_withdraws_what_is_missing()
    {
        await Load("JPN", Write("jpn_full_1.csv", string.Join("\n", JpnHeader, JpnRow("850312145573"), JpnRow("900101101235"), JpnRow("750505071117")) + "\n"));

        var second = await Load("JPN", Write("jpn_full_2.csv", string.Join("\n", JpnHeader,
            JpnRow("850312145573"),                                  // unchanged
            JpnRow("900101101235", name: "AHMAD FAIZ BIN ISMAIL KHAN"), // changed
            JpnRow("010203141239")) + "\n"));                        // new; 750505071117 is gone

        Assert.That((second.Inserted, second.Updated, second.Unchanged, second.Withdrawn), Is.EqualTo((1, 1, 1, 1)));
        Assert.That(await Scalar<string>("select status from source_record where source_key = '750505071117'"), Is.EqualTo("withdrawn"));
        Assert.That(await Scalar<int>("select count(*) from source_record_version v join source_record r on r.id = v.source_record_id where r.source_key = '900101101235'"),
            Is.EqualTo(2), "both versions are kept");
        Assert.That(await Scalar<string>("select v.full_name from source_record r join source_record_version v on v.id = r.current_version_id where r.source_key = '900101101235'"),
            Is.EqualTo("AHMAD FAIZ BIN ISMAIL KHAN"));
        Assert.That(await Scalar<int>("select count(*) from match_queue where extract_id = @id", new { id = second.Id }), Is.EqualTo(3),
            "the inserted, the updated and the withdrawn record are queued for matching; the unchanged one is not");
    }

    [Test]
    public async Task Withdrawn_record_that_comes_back_is_active_again()
    {
        await Load("JPN", Write("jpn_full_1.csv", string.Join("\n", JpnHeader, JpnRow("850312145573"), JpnRow("900101101235")) + "\n"));
        await Load("JPN", Write("jpn_full_2.csv", string.Join("\n", JpnHeader, JpnRow("850312145573")) + "\n"));

        // Different bytes from the first snapshot (rows in another order): the same bytes would be a duplicate file.
        var third = await Load("JPN", Write("jpn_full_3.csv", string.Join("\n", JpnHeader, JpnRow("900101101235"), JpnRow("850312145573")) + "\n"));

        Assert.That(third.Updated, Is.EqualTo(1));
        Assert.That(await Scalar<string>("select status from source_record where source_key = '900101101235'"), Is.EqualTo("active"));
    }

    [Test]
    public async Task Every_agency_in_the_demo_loads_with_only_its_duplicate_rows_rejected()
    {
        var truth = DelimitedFile.Read(Demo("truth/source_records.csv"), new System.Text.UTF8Encoding(false), ',');
        foreach (var (agency, file) in new[] { ("JPN", "jpn_full.csv"), ("LHDN", "lhdn_full.txt"), ("KWSP", "kwsp_full.csv"), ("JKM", "jkm_full.tsv"), ("TNB", "tnb_full.csv") })
        {
            var receipt = await Load(agency, Demo($"extracts/{file}"));
            var duplicates = truth.Count(t => t["file"] == $"extracts/{file}" && t["noise"].Contains("duplicate_row", StringComparison.Ordinal));

            Assert.That(receipt.Status, Is.EqualTo("loaded"), file);
            Assert.That(receipt.Rejected, Is.EqualTo(duplicates), $"{file}: only the repeated rows are rejected");
            Assert.That(receipt.Inserted, Is.EqualTo(receipt.RowsRead - duplicates), file);
            Assert.That((await Rejections(receipt.Id)).Select(r => r.Reason), Is.All.Contains("repeats line"));
        }
    }

    [Test]
    public async Task Noisy_identity_numbers_are_kept_with_a_flag_not_rejected()
    {
        // An agency's mistyped IC is still evidence about a person; the authoritative JPN is strict, others are flagged.
        var tnb = "\"Account No\",\"Account Holder\",\"ID No\",\"Premise Address\",\"Postcode\",\"City\",\"State\",\"Phone\",\"Account Opened\",\"Account Status\"\r\n"
            + "\"220000000001\",\"Siti Aminah\",\"851399145574\",\"No 1, Jalan Mawar\",\"50450\",\"Kuala Lumpur\",\"KL\",\"013-8768645\",\"2015-11-27\",\"ACTIVE\"\r\n";

        var receipt = await Load("TNB", Write("tnb_full.csv", tnb, System.Text.Encoding.Latin1));

        Assert.That((receipt.Inserted, receipt.Rejected), Is.EqualTo((1, 0)));
        Assert.That(await Scalar<string?>("select id_number from source_record_version"), Is.Null);
        Assert.That(await Scalar<string>("select array_to_string(issues, '; ') from source_record_version"), Does.Contain("ID No: is not a valid MyKad number"));
    }
}
