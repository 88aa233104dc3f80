using Dapper;
using Npgsql;
using PaduHub.GoldenRecords;
using PaduHub.Households;
using PaduHub.Ingestion;
using PaduHub.Tests.Ingestion;

namespace PaduHub.Tests.Households;

/// <summary>The demo population matched, then formed into households and scored against the generator's truth.</summary>
public sealed class GoldenHouseholdTests : IngestionFixture
{
    static readonly string[] s_agencies = ["JKM", "JPN", "KWSP", "LHDN", "TNB"];

    async Task LoadAndMatch(bool deltas = false)
    {
        foreach (var agency in s_agencies)
        {
            await Load(agency, Directory.GetFiles(Demo("extracts"), agency.ToLowerInvariant() + "_full.*").Single());
        }
        if (deltas)
        {
            foreach (var file in Directory.GetFiles(Demo("deltas")).OrderBy(f => Path.GetFileNameWithoutExtension(f)[^4..], StringComparer.Ordinal))
            {
                await Load(Path.GetFileName(file).Split('_')[0].ToUpperInvariant(), file);
            }
        }
        await new PersonMatching(ConnectionString, AgencyContracts.Load(), Path.Combine(Scratch, "match-index")).FullRematchAsync();
    }

    async Task<HouseholdScore> Score()
    {
        var personOfRecord = PaduHub.Samples.SourceRecordTruth.PersonOfRecord(Demo(""));
        var householdOfPerson = PaduHub.Samples.PeopleTruth.HouseholdOfLivingPerson(Demo(""));
        await using var connection = new NpgsqlConnection(ConnectionString);
        var rows = await connection.QueryAsync<(long Golden, string Agency, string Key, long? Household)>("""
            select m.golden_id, r.agency_code, r.source_key, hm.household_id
            from golden_member m join source_record r on r.id = m.source_record_id
            left join golden_household_member hm on hm.golden_id = m.golden_id
            """);
        // A golden person is the true person most of its records belong to.
        var formed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var golden in rows.Where(r => r.Household is not null).GroupBy(r => r.Golden))
        {
            var person = golden.Select(r => personOfRecord.GetValueOrDefault(r.Agency + ":" + r.Key)).Where(p => p is not null)
                .GroupBy(p => p).OrderByDescending(g => g.Count()).First().Key!;
            formed.TryAdd(person, golden.First().Household!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var score = HouseholdEvaluation.Score(formed, householdOfPerson);
        TestContext.Out.WriteLine(score);
        return score;
    }

    [Test]
    public async Task Demo_households_are_formed_close_to_the_truth()
    {
        await LoadAndMatch(deltas: true);

        var report = await new GoldenHouseholds(ConnectionString).RebuildAsync();
        TestContext.Out.WriteLine(report);

        var score = await Score();
        Assert.That(score.Precision, Is.GreaterThanOrEqualTo(0.95), "whole households formed exactly right");
        Assert.That(score.Recall, Is.GreaterThanOrEqualTo(0.95));
        Assert.That(score.Pairs.F1, Is.GreaterThanOrEqualTo(0.97));
        Assert.That(await Scalar<int>("select count(*) from golden_household where status = 'active'"), Is.EqualTo(report.Households));
        Assert.That(await Scalar<int>("select count(*) from golden_household_history"), Is.EqualTo(report.Households));
        Assert.That(await Scalar<int>("select count(*) from golden_household where status = 'active' and head_id not in (select golden_id from golden_household_member where role = 'head')"),
            Is.Zero, "every household's head is its member with the head role");
    }


    [Test]
    public async Task Daily_changes_touch_only_their_households_and_household_ids_stay_put()
    {
        await LoadAndMatch();
        var households = new GoldenHouseholds(ConnectionString);
        var first = await households.RebuildAsync();
        var again = await households.RebuildAsync();
        Assert.That((again.Created, again.Changed, again.Retired, again.Dissolved), Is.EqualTo((0, 0, 0, 0)), "nothing changed, nothing written");

        await using var connection = new NpgsqlConnection(ConnectionString);
        var before = (await connection.QueryAsync<(long GoldenId, long HouseholdId)>("select golden_id, household_id from golden_household_member"))
            .ToDictionary(r => r.GoldenId, r => r.HouseholdId);
        foreach (var file in Directory.GetFiles(Demo("deltas")).OrderBy(f => Path.GetFileNameWithoutExtension(f)[^4..], StringComparer.Ordinal))
        {
            await Load(Path.GetFileName(file).Split('_')[0].ToUpperInvariant(), file);
        }
        await new PersonMatching(ConnectionString, AgencyContracts.Load(), Path.Combine(Scratch, "match-index")).MatchQueuedAsync();
        var daily = await households.RebuildAsync();
        TestContext.Out.WriteLine($"{first}\n{daily}");

        Assert.That(daily.Changed, Is.GreaterThan(0).And.LessThan(first.Households / 5), "births, deaths, marriages and moves change a few households");
        var after = (await connection.QueryAsync<(long GoldenId, long HouseholdId)>("select golden_id, household_id from golden_household_member"))
            .ToDictionary(r => r.GoldenId, r => r.HouseholdId);
        var stayed = before.Count(b => after.TryGetValue(b.Key, out var h) && h == b.Value);
        Assert.That(stayed, Is.GreaterThan(before.Count * 0.95), "people who did not move keep their household id");
        Assert.That(await Scalar<int>("""
            select count(*) from golden_household h
            where h.version > 1 and h.status = 'active'
              and (select count(*) from golden_household_history x where x.household_id = h.id) <> h.version
            """), Is.Zero, "every version of a household is in its history");
        Assert.That(await Scalar<int>("select count(*) from golden_household where status = 'retired' and successor_id not in (select id from golden_household)"),
            Is.Zero, "a retired household points at one that exists");
        Assert.That((await Score()).Precision, Is.GreaterThanOrEqualTo(0.95));

        // The daily run formed only the households around the people matching touched, and missed nothing: a run
        // over every household finds nothing left to change.
        Assert.That(daily.Households, Is.LessThan(first.Households / 2), "the daily run looked at the neighbourhood of the changes, not everyone");
        var everything = await households.RebuildAllAsync();
        Assert.That((everything.Created, everything.Changed, everything.Retired, everything.Dissolved, everything.Conflicts), Is.EqualTo((0, 0, 0, 0, 0)));
        Assert.That(await Scalar<int>("select count(*) from household_queue"), Is.Zero, "the queue is drained");
    }
}

/// <summary>Formation rules on hand-made people: what joins a household and what a steward must settle.</summary>
public sealed class HouseholdFormationTests
{
    static readonly DateOnly s_today = new(2026, 11, 1);

    static HouseholdPerson Person(long id, string mykad, string? spouse = null, string? father = null, string? address = null, decimal income = 0,
        string born = "1980-01-01") =>
        new() { GoldenId = id, MyKad = mykad, SpouseMyKad = spouse, FatherMyKad = father, AddressKey = address, MonthlyIncome = income, DateOfBirth = DateOnly.Parse(born) };

    [Test]
    public void Spouses_and_their_children_form_one_household_headed_by_the_main_earner()
    {
        var (households, conflicts) = HouseholdFormation.Form(
        [
            Person(1, "800101010001", spouse: "820202020002", income: 1500),
            Person(2, "820202020002", spouse: "800101010001", income: 4200),
            Person(3, "100303030003", father: "800101010001", born: "2010-03-03"),
            Person(4, "900404040004"),
        ], s_today);

        Assert.That(conflicts, Is.Empty);
        var family = households.Single(h => h.Members.Count == 3);
        Assert.That(family.HeadId, Is.EqualTo(2));
        Assert.That(family.Members, Is.EquivalentTo(new[] { (2L, "head"), (1L, "spouse"), (3L, "child") }), "the head's spouse's child is a child of the household");
        Assert.That(households.Single(h => h.Members.Count == 1).Evidence, Is.EqualTo(new[] { "lives alone" }));
    }

    [Test]
    public void A_spouse_who_names_someone_else_is_not_joined_and_goes_to_a_steward()
    {
        var (households, conflicts) = HouseholdFormation.Form(
        [
            Person(1, "800101010001", spouse: "820202020002"),
            Person(2, "820202020002", spouse: "830303030003"),
            Person(3, "830303030003", spouse: "820202020002"),
        ], s_today);

        Assert.That(conflicts.Select(c => (c.Kind, c.SubjectKey)), Is.EqualTo(new[] { ("spouse_mismatch", "spouse:1:2") }));
        Assert.That(households.Select(h => h.Members.Select(m => m.GoldenId).Order().ToArray()),
            Is.EquivalentTo(new[] { new long[] { 1 }, [2, 3] }));
    }

    [Test]
    public void Family_links_never_join_two_welfare_households_and_shared_quarters_take_in_only_unplaced_people()
    {
        var wife = Person(2, "820202020002", spouse: "800101010001");
        wife.Welfare.Add(("JKM00000002", "HEAD"));
        var husband = Person(1, "800101010001", spouse: "820202020002", address: "12|JALAN MAWAR|50000");
        husband.Welfare.Add(("JKM00000001", "HEAD"));
        var lodger = Person(5, "700505050005", address: "12|JALAN MAWAR|50000");

        var (households, conflicts) = HouseholdFormation.Form([husband, wife, lodger], s_today);

        Assert.That(conflicts.Single().Kind, Is.EqualTo("member_elsewhere"));
        Assert.That(households, Has.Count.EqualTo(2));
        Assert.That(households.Single(h => h.HeadId == 1).Members.Select(m => m.GoldenId), Is.EquivalentTo(new long[] { 1, 5 }));
        Assert.That(households.Single(h => h.HeadId == 1).Evidence, Does.Contain("same address"));
    }

    [Test]
    public void The_dead_are_not_members()
    {
        var (households, _) = HouseholdFormation.Form(
        [
            Person(1, "800101010001", spouse: "820202020002"),
            new HouseholdPerson { GoldenId = 2, MyKad = "820202020002", SpouseMyKad = "800101010001", Deceased = true },
        ], s_today);

        Assert.That(households.Single().Members.Select(m => m.GoldenId), Is.EqualTo(new long[] { 1 }));
    }

    [TestCase(5_858, 2024, "B40")]
    [TestCase(5_858.01, 2024, "M40")]
    [TestCase(12_679.99, 2024, "M40")]
    [TestCase(12_680, 2024, "T20")]
    [TestCase(5_500, 2022, "M40")]
    public void Income_groups_follow_the_dosm_thresholds_of_the_configured_year(decimal income, int year, string group) =>
        Assert.That(IncomeGroups.Of(income, year), Is.EqualTo(group));

    [Test]
    public void An_unknown_threshold_year_is_refused_by_name() =>
        Assert.That(() => IncomeGroups.Of(1000, 2019), Throws.ArgumentException.With.Message.Contains("no DOSM income thresholds for 2019"));

    [Test]
    public void Income_comes_from_the_pension_wage_then_the_tax_assessment_and_a_wide_gap_between_them_is_a_conflict()
    {
        var both = new IncomeEvidence { PensionWage = (3000m, "2026-10", 7), TaxAssessed = (90_000m, "2025", 8) };
        Assert.That(both.Choose(1), Is.EqualTo(new IncomeSource(1, 3000m, "KWSP", "pension_wage", "2026-10", 7)));
        Assert.That(both.Disagrees, Is.True, "RM90,000 a year is over twice a year's wages of RM3,000");

        var taxOnly = new IncomeEvidence { TaxAssessed = (60_000m, "2025", 8) };
        Assert.That(taxOnly.Choose(1).Monthly, Is.EqualTo(5000m));
        Assert.That(new IncomeEvidence { PensionWage = (3000m, "2026-10", 7), TaxAssessed = (40_000m, "2025", 8) }.Disagrees, Is.False, "bonuses");
        Assert.That(new IncomeEvidence().Choose(1).Kind, Is.EqualTo("none"));
    }
}
