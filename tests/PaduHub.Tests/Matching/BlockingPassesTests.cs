using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>
/// Blocking is several passes beside the look-alike search, each pair marked with the passes that found it, so a run
/// and evaluate can say which pass found which true pairs.
/// </summary>
public sealed class BlockingPassesTests
{
    static readonly DateOnly s_today = new(2026, 11, 27);

    static MatchRecord Person(int index, string given, string surname, string? dob, string? postcode = null) =>
        MatchRecord.From(index, "test", $"r{index}", new PersonFacts { GivenName = given, Surname = surname, DateOfBirth = dob, Postcode = postcode }, s_today);

    static ushort PassesOf((List<(int A, int B)> Pairs, ushort[] Passes, BlockingReport Report) blocking, int a, int b) =>
        blocking.Passes[blocking.Pairs.IndexOf((Math.Min(a, b), Math.Max(a, b)))];

    static bool Found(ushort passes, BlockingPass pass) => (passes & (1 << (BlockingPasses.FirstPassBit + Array.IndexOf(BlockingPasses.All, pass)))) != 0;

    [Test]
    public void A_changed_given_name_is_still_compared_through_birth_date_and_surname()
    {
        var records = new List<MatchRecord> { Person(0, "JOHN", "TAN", "1980-03-04"), Person(1, "AH KOW", "TAN", "1980-03-04") };
        var blocking = CandidateIndex.Pairs(records, new MatchSettings());

        Assert.That(blocking.Pairs, Does.Contain((0, 1)));
        Assert.That(Found(PassesOf(blocking, 0, 1), BlockingPasses.BirthAndSurname), Is.True);
        Assert.That(Found(PassesOf(blocking, 0, 1), BlockingPasses.BirthAndFirstName), Is.False, "the first names differ");
    }

    [Test]
    public void The_report_counts_every_pass_and_a_crowded_block_pairs_nobody()
    {
        // Sixty people born the same day with one surname sound: a block past MaxBlock is left out and counted.
        var records = Enumerable.Range(0, 60).Select(i => Person(i, $"NAME{i:00}X", "TAN", "1990-01-01")).ToList();
        var blocking = CandidateIndex.Pairs(records, new MatchSettings());

        Assert.That(blocking.Report.ByPass!.Keys, Is.EquivalentTo(BlockingPasses.BitNames));
        Assert.That(blocking.Report.ByPass[BlockingPasses.BirthAndSurname.Name], Is.Zero);
        Assert.That(blocking.Report.OversizedBlocks, Is.GreaterThan(0));
        Assert.That(blocking.Passes, Has.Length.EqualTo(blocking.Pairs.Count));
    }

    [Test]
    public void A_utility_account_under_a_common_name_meets_its_own_record_at_the_same_home_among_the_towns_namesakes()
    {
        MatchRecord At(int index, string name, string address, string? dob) =>
            MatchRecord.From(index, "test", $"r{index}", new PersonFacts { FullName = name, Address = address, Postcode = "80100", DateOfBirth = dob }, s_today);
        // Forty namesakes in the town, each at a home of their own, born on the registered person's day of other years.
        var records = Enumerable.Range(0, 40).Select(i => At(i, "HARIS BIN ZAKARIA", $"NO {100 + i}, JALAN MAWAR {i}", $"{1930 + i}-09-17")).ToList();
        // The registry spells the father's name another way, so every namesake looks more like the account than it does.
        records.Add(At(40, "HARIS BIN ZAKARYA", "LOT 7308, JALAN MAWAR 4, BANDAR MERANTI BARU", "1979-09-17"));
        records.Add(At(41, "Haris Bin Zakaria", "LOT 7308, JALAN MAWAR 4, BANDAR MERANTI BARU, 80100 JOHOR BAHRU, JOHOR", null));

        var blocking = CandidateIndex.Pairs(records, new MatchSettings());

        Assert.That(blocking.Pairs, Does.Contain((40, 41)), "compared");
        Assert.That(PassesOf(blocking, 40, 41) & (1 << BlockingPasses.LookAlikeBit), Is.Zero, "not by the look-alike search");
        Assert.That(Found(PassesOf(blocking, 40, 41), BlockingPasses.HomeAndOwnName), Is.True, "by the home and the own name");
    }

    [TestCase("SHARIL BIN HAKIM", "SHAHRIL BIN HAKIM")]
    [TestCase("KOH OFNG BOON", "KOH FONG BOON")]
    public void An_own_name_with_a_slip_inside_a_word_still_meets_its_record_at_the_same_home(string account, string registered)
    {
        MatchRecord At(int index, string name, string address) =>
            MatchRecord.From(index, "test", $"r{index}", new PersonFacts { FullName = name, Address = address, Postcode = "12060" }, s_today);
        var a = At(0, account, "B-15-8, JALAN INDAH 18, KAMPUNG PERMAI INDAH");
        var b = At(1, registered, "B-15-8, JALAN INDAH 18, KAMPUNG PERMAI INDAH");
        var sister = At(2, "NUR AIN BINTI HAKIM", "B-15-8, JALAN INDAH 18, KAMPUNG PERMAI INDAH");

        Assert.That(BlockingPasses.HomeAndOwnName.Keys(a).Intersect(BlockingPasses.HomeAndOwnName.Keys(b)), Is.Not.Empty);
        Assert.That(BlockingPasses.HomeAndOwnName.Keys(a).Intersect(BlockingPasses.HomeAndOwnName.Keys(sister)), Is.Empty, "a sister at home has her own name");
    }

    [Test]
    public void Every_pass_key_is_its_own_so_no_two_passes_share_a_block()
    {
        var record = MatchRecord.From(0, "test", "r0", new PersonFacts
        {
            GivenName = "SITI",
            Surname = "AMINAH",
            DateOfBirth = "1985-12-31",
            Postcode = "50480",
            Address = "NO 3, JALAN AMPANG",
            Phone = "0123456789",
            Email = "siti@example.my",
            Identifiers = { new PersonIdentifier("MYKAD", "851231145678") },
        }, s_today);
        Assert.That(BlockingPasses.All.All(pass => pass.Keys(record).Any()), Is.True, "every pass has a key for this record");
        var prefixes = BlockingPasses.All.SelectMany(pass => pass.Keys(record).Select(key => key[..key.IndexOf(':')])).ToList();

        Assert.That(prefixes, Is.Unique);
    }
}
