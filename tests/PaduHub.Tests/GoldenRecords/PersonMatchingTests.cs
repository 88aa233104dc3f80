using System.Text.Json;
using Dapper;
using Npgsql;
using PaduHub.GoldenRecords;
using PaduHub.Ingestion;
using PaduHub.Matching;
using PaduHub.Tests.Ingestion;

namespace PaduHub.Tests.GoldenRecords;

/// <summary>The committed demo population (2,000 people, five agencies) matched into golden records, scored against its truth.</summary>
public sealed class PersonMatchingTests : IngestionFixture
{
    static readonly string[] s_agencies = ["JKM", "JPN", "KWSP", "LHDN", "TNB"];

    PersonMatching Matching() => new(ConnectionString, AgencyContracts.Load(), Path.Combine(Scratch, "match-index"));

    async Task LoadFullExtracts()
    {
        foreach (var agency in s_agencies)
        {
            var file = Directory.GetFiles(Demo("extracts"), agency.ToLowerInvariant() + "_full.*").Single();
            await Load(agency, file);
        }
    }

    /// <summary>The full extracts matched in full, then the three days of deltas loaded and queued, not yet matched.</summary>
    async Task<PersonMatching> MatchedWithDeltasQueued()
    {
        await LoadFullExtracts();
        var matching = Matching();
        await matching.FullRematchAsync();
        await LoadDeltas();
        return matching;
    }

    async Task LoadDeltas()
    {
        foreach (var file in Directory.GetFiles(Demo("deltas")).OrderBy(f => Path.GetFileNameWithoutExtension(f)[^4..], StringComparer.Ordinal))
        {
            await Load(Path.GetFileName(file).Split('_')[0].ToUpperInvariant(), file);
        }
    }

    /// <summary>Golden membership scored against the generator's truth (agency + key -> person).</summary>
    async Task<PairwiseScore> Score()
    {
        var truth = PaduHub.Samples.SourceRecordTruth.PersonOfRecord(Demo(""));
        await using var connection = new NpgsqlConnection(ConnectionString);
        var members = await connection.QueryAsync<(string Agency, string Key, long Golden)>(
            "select r.agency_code, r.source_key, m.golden_id from golden_member m join source_record r on r.id = m.source_record_id");
        var predicted = members.ToDictionary(m => m.Agency + ":" + m.Key, m => m.Golden.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var score = PairwiseEvaluation.Score(predicted, truth);
        TestContext.Out.WriteLine($"precision {score.Precision:0.0000} recall {score.Recall:0.0000} F1 {score.F1:0.0000}");
        return score;
    }

    [Test]
    public async Task The_demo_population_matches_into_golden_records_at_f1_099_without_labels()
    {
        await LoadFullExtracts();

        var report = await Matching().FullRematchAsync();

        Assert.That(report.Records, Is.EqualTo(await Scalar<int>("select count(*) from source_record where status = 'active'")));
        Assert.That(await Scalar<int>("select count(*) from golden_member"), Is.EqualTo(report.Records), "every active source record has one golden record");
        Assert.That(await Scalar<int>("select count(*) from match_queue"), Is.Zero, "the full run drains the queue");
        Assert.That((await Score()).F1, Is.GreaterThanOrEqualTo(0.99));
        // Blocking fetches people by birth date, so among candidates an exact birth date alone is common; with the
        // name exact too it is not, and the model measures by how much (0 on data where the two are independent).
        var model = StoredModel.Parse(await Scalar<string>("select model::text from match_model order by id desc limit 1"));
        TestContext.Out.WriteLine($"name and birth date both exact: +{model.NameAndBirthBits:0.00} bits");
        // The bonus corrects EM over candidates, whose u for an exact name and birth date is the candidates'; a model
        // fitted by sessions holds u at random pairs' values and needs none.
        Assert.That(model.FittedBySessions || model.NameAndBirthBits > 0.5, Is.True, "a model fitted by EM over candidates measures the bonus");
    }

    [Test]
    public async Task Golden_attributes_come_from_the_authoritative_agency_with_lineage_and_identifiers_form_a_crosswalk()
    {
        await LoadFullExtracts();
        await Matching().FullRematchAsync();

        await using var connection = new NpgsqlConnection(ConnectionString);
        // KANNAN A/L RAJ (demo person P000001194): JPN holds his MyKad and old IC; three agencies know him only by the old IC.
        var golden = await connection.QuerySingleAsync<(long Id, string FullName, string Attributes)>(
            "select id, full_name, attributes::text from golden_person where mykad = '660328104029' and status = 'active'");
        var attributes = JsonSerializer.Deserialize<Dictionary<string, AttributeLineage>>(golden.Attributes)!;
        Assert.That(golden.FullName, Is.EqualTo("KANNAN A/L RAJ"));
        Assert.That((attributes["full_name"].Agency, attributes["full_name"].Verified), Is.EqualTo(("JPN", true)));
        Assert.That(attributes["full_name"].ExtractId, Is.GreaterThan(0));

        var byOldIc = await connection.QuerySingleAsync<(long Golden, string[] Agencies)>(
            "select golden_id, agencies from golden_identifier where kind = 'OLD_IC' and value = 'A1613951'");
        Assert.That(byOldIc.Golden, Is.EqualTo(golden.Id), "a lookup by the old IC finds the same golden record");
        Assert.That(byOldIc.Agencies, Does.Contain("JPN").And.Contain("KWSP"));
        Assert.That(await connection.ExecuteScalarAsync<int>("select count(*) from golden_person_history where golden_id = @Id", new { golden.Id }), Is.EqualTo(1));
    }

    [Test]
    public async Task Deltas_are_matched_incrementally_from_the_queue_and_agree_with_a_full_rematch()
    {
        var matching = await MatchedWithDeltasQueued();
        var queued = await Scalar<long>("select count(distinct source_record_id) from match_queue");
        Assert.That(queued, Is.GreaterThan(0));

        var incremental = await matching.MatchQueuedAsync();

        Assert.That(incremental!.Kind, Is.EqualTo("incremental"));
        Assert.That(incremental.Records, Is.EqualTo(queued));
        Assert.That(await Scalar<int>("select count(*) from match_queue"), Is.Zero);
        Assert.That(await Scalar<int>("select count(*) from golden_member"), Is.EqualTo(await Scalar<int>("select count(*) from source_record where status = 'active'")));
        var afterIncremental = await Score();
        Assert.That(afterIncremental.F1, Is.GreaterThanOrEqualTo(0.99));

        // The same data re-matched in full with the same model: the two paths must agree (pairwise, one against the other).
        var before = await Membership();
        await matching.FullRematchAsync(retrain: false);
        var after = await Membership();
        var agreement = PairwiseEvaluation.Score(before, after);
        TestContext.Out.WriteLine($"incremental vs full: F1 {agreement.F1:0.0000}");
        Assert.That(agreement.F1, Is.GreaterThanOrEqualTo(0.995));
    }

    /// <summary>
    /// Two workers (two index folders, as on two machines) taking turns at incremental runs: a worker with no index
    /// rebuilds it, one that missed the other's runs catches up with just the records those matched, and a full run
    /// in between sends it back to a rebuild. Each run says which in its seconds, and each index then holds exactly the
    /// active records.
    /// </summary>
    [Test]
    public async Task Workers_taking_turns_bring_their_standing_index_up_to_date_and_say_how()
    {
        await LoadFullExtracts();
        PersonMatching Worker(string name) => new(ConnectionString, AgencyContracts.Load(), Path.Combine(Scratch, name));
        var (first, second) = (Worker("index-first"), Worker("index-second"));
        await first.FullRematchAsync();
        var days = Directory.GetFiles(Demo("deltas")).GroupBy(f => Path.GetFileNameWithoutExtension(f)[^4..]).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.ToList()).ToList();
        async Task<string> Day(int day, PersonMatching worker)
        {
            foreach (var file in days[day])
            {
                await Load(Path.GetFileName(file).Split('_')[0].ToUpperInvariant(), file);
            }
            var run = await worker.MatchQueuedAsync();
            Assert.That(run, Is.Not.Null);
            return string.Join(",", (await Scalar<string>("select seconds::text from match_run order by id desc limit 1"))
                .Split(',').Where(s => s.Contains("index_", StringComparison.Ordinal)).Select(s => s.Split(':')[0].Trim(' ', '"', '{')));
        }

        Assert.That(await Day(0, second), Is.EqualTo("index_rebuild"), "the second worker had no index");
        Assert.That(await Day(1, first), Is.EqualTo("index_catch_up"), "the first worker missed the second's run");
        Assert.That(await IndexKeys("index-first"), Is.EquivalentTo(await ActiveRecords()), "caught up, the index holds what the database holds");
        await first.FullRematchAsync(retrain: false);
        Assert.That(await Day(2, second), Is.EqualTo("index_rebuild"), "a full run came between");
        Assert.That(await IndexKeys("index-second"), Is.EquivalentTo(await ActiveRecords()));
    }

    async Task<long[]> ActiveRecords()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return (await connection.QueryAsync<long>("select id from source_record where status = 'active'")).ToArray();
    }

    /// <summary>What the standing index a worker keeps open in its folder holds.</summary>
    async Task<HashSet<long>> IndexKeys(string folder)
    {
        var slot = StandingIndex.For(Path.Combine(Scratch, folder, new NpgsqlConnectionStringBuilder(ConnectionString).Database!));
        await slot.Gate.WaitAsync();
        try
        {
            return slot.Index!.Keys();
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    [Test]
    public async Task An_incremental_run_writes_each_golden_record_as_a_full_rematch_would()
    {
        var matching = await MatchedWithDeltasQueued();
        await matching.MatchQueuedAsync();
        var incremental = await GoldenState();

        await matching.FullRematchAsync(retrain: false);
        var full = await GoldenState();

        // An incremental run rewrites only the golden records it can change; every other one must already be what a
        // full run writes. Compared where the two runs formed the same person (the same members under the same id).
        var same = full.Keys.Where(id => incremental.TryGetValue(id, out var i) && i.Members == full[id].Members).ToList();
        Assert.That(same, Has.Count.GreaterThan(full.Count * 99 / 100), "the two paths cluster nearly everyone alike");
        Assert.Multiple(() =>
        {
            foreach (var id in same)
            {
                Assert.That(incremental[id].Crosswalk, Is.EqualTo(full[id].Crosswalk), $"crosswalk of golden record {id}");
                Assert.That(incremental[id].Attributes, Is.EqualTo(full[id].Attributes), $"attributes of golden record {id}");
            }
        });
    }

    async Task<Dictionary<long, (string Members, string Crosswalk, string Attributes)>> GoldenState()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return (await connection.QueryAsync<(long Id, string Members, string? Crosswalk, string Attributes)>("""
                select p.id,
                       (select string_agg(m.source_record_id::text, ',' order by m.source_record_id) from golden_member m where m.golden_id = p.id),
                       (select string_agg(i.kind || ' ' || i.value || ' ' || array_to_string(i.agencies, ','), ';' order by i.kind, i.value)
                        from golden_identifier i where i.golden_id = p.id),
                       p.attributes::text
                from golden_person p where p.status = 'active'
                """))
            .ToDictionary(g => g.Id, g => (g.Members, g.Crosswalk ?? "", g.Attributes));
    }

    async Task<Dictionary<string, string>> Membership()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return (await connection.QueryAsync<(long Source, long Golden)>("select source_record_id, golden_id from golden_member"))
            .ToDictionary(m => m.Source.ToString(System.Globalization.CultureInfo.InvariantCulture), m => m.Golden.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Test]
    public async Task Golden_ids_survive_a_rematch_of_the_same_data()
    {
        await LoadFullExtracts();
        var matching = Matching();
        await matching.FullRematchAsync();
        var before = await Membership();

        await matching.FullRematchAsync(retrain: false);

        Assert.That(await Membership(), Is.EquivalentTo(before), "the same data and model keep every golden id");
        Assert.That(await Scalar<int>("select count(*) from golden_person where version > 1"), Is.Zero, "nothing changed, so no new versions");
    }

    [Test]
    public async Task Steward_decisions_hold_in_full_and_incremental_runs()
    {
        await LoadFullExtracts();
        var matching = Matching();
        await matching.FullRematchAsync();
        await using var connection = new NpgsqlConnection(ConnectionString);
        // Two records of one golden record a steward says are different people; two of different golden records said to be one.
        var (a, b) = await connection.QueryFirstAsync<(long, long)>(
            "select min(source_record_id), max(source_record_id) from golden_member group by golden_id having count(*) >= 3 order by golden_id limit 1");
        var (c, d) = await connection.QueryFirstAsync<(long, long)>(
            "select x.source_record_id, y.source_record_id from golden_member x join golden_member y on y.golden_id > x.golden_id order by x.golden_id, y.golden_id limit 1");
        await connection.ExecuteAsync(
            "insert into match_decision (source_a, source_b, decision, decided_by, reason) values " +
            "(@a, @b, 'different', 'steward1', 'different fathers on the birth certificates'), " +
            "(least(@c, @d), greatest(@c, @d), 'same', 'steward1', 'same person after a legal name change')", new { a, b, c, d });
        async Task<long> GoldenOf(long source) =>
            await connection.ExecuteScalarAsync<long>("select golden_id from golden_member where source_record_id = @source", new { source });

        await matching.FullRematchAsync(retrain: false);
        Assert.That(await GoldenOf(a), Is.Not.EqualTo(await GoldenOf(b)), "cannot-link holds in a full run");
        Assert.That(await GoldenOf(c), Is.EqualTo(await GoldenOf(d)), "must-link holds in a full run");

        await connection.ExecuteAsync("insert into match_queue (source_record_id, extract_id) values (@a, 0), (@c, 0)", new { a, c });
        await matching.MatchQueuedAsync();
        Assert.That(await GoldenOf(a), Is.Not.EqualTo(await GoldenOf(b)), "cannot-link holds in an incremental run");
        Assert.That(await GoldenOf(c), Is.EqualTo(await GoldenOf(d)), "must-link holds in an incremental run");

        await matching.FullRematchAsync(retrain: true);
        Assert.That(await GoldenOf(a), Is.Not.EqualTo(await GoldenOf(b)), "cannot-link holds after retraining on the decisions");
        Assert.That(await GoldenOf(c), Is.EqualTo(await GoldenOf(d)), "must-link holds after retraining on the decisions");
    }

    [Test]
    public async Task Doubtful_pairs_wait_for_review_with_each_fields_contribution()
    {
        await LoadFullExtracts();
        await Matching().FullRematchAsync();

        await using var connection = new NpgsqlConnection(ConnectionString);
        var pairs = (await connection.QueryAsync<(double Weight, string Fields, string Reason)>("select weight, fields::text, reason from match_pair")).ToList();
        Assert.That(pairs, Is.Not.Empty);
        var fields = JsonSerializer.Deserialize<JsonElement[]>(pairs[0].Fields)!;
        Assert.That(fields.Select(f => f.GetProperty("field").GetString()), Does.Contain("full_name").And.Contain("date_of_birth"));
        Assert.That(fields.All(f => f.TryGetProperty("weight", out _) && f.TryGetProperty("level_name", out _)));
    }
}
