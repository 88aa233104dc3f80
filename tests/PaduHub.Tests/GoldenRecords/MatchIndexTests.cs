using PaduHub.GoldenRecords;
using PaduHub.Matching;

namespace PaduHub.Tests.GoldenRecords;

/// <summary>The standing Lucene index: which run it reflects on disk, after a commit, a close, and a crash.</summary>
public sealed class MatchIndexTests
{
    string _folder = "";

    [SetUp]
    public void MakeFolder() => _folder = Path.Combine(Path.GetTempPath(), $"padu-match-index-{Guid.NewGuid():N}");

    [TearDown]
    public void RemoveFolder()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    static MatchRecord Person(int id, string name) =>
        MatchRecord.From(id, "JPN", id.ToString(System.Globalization.CultureInfo.InvariantCulture), new PersonFacts { FullName = name, DateOfBirth = "1980-01-01" },
            new DateOnly(2026, 11, 27));

    static MatchRunStamp Run(long id) => new(id, new DateTime(2026, 11, 27, 10, 0, 0, DateTimeKind.Utc).AddSeconds(id));

    [Test]
    public void A_stamped_run_is_on_disk_once_the_index_closes()
    {
        var index = MatchIndex.Rebuild(_folder, [Person(1, "AMINAH BINTI YUSOF")], Run(1), new MatchSettings());
        index.Put(Person(2, "AMINAH YUSOF"));
        index.Stamp(Run(2));

        Assert.That(index.Candidates([Person(2, "AMINAH YUSOF")]), Does.Contain(1L), "stamped changes are searched before they are durable");
        index.Dispose();

        using var reopened = MatchIndex.OpenIfCurrent(_folder, Run(2), new MatchSettings());
        Assert.That(reopened, Is.Not.Null);
        Assert.That(reopened!.Candidates([Person(3, "AMINAH BINTI YUSOF")]), Is.SupersetOf(new[] { 1L, 2L }));
    }

    [Test]
    public void After_a_crash_the_disk_shows_the_last_commit_so_a_later_run_rebuilds()
    {
        var index = MatchIndex.Rebuild(_folder, [Person(1, "TAN AH KOW")], Run(1), new MatchSettings());
        index.Put(Person(2, "TAN AH KAU"));
        index.Stamp(Run(2));

        index.Abandon();   // what a killed process leaves: nothing after the last commit

        Assert.That(MatchIndex.OpenIfCurrent(_folder, Run(2), new MatchSettings()), Is.Null);
        using var last = MatchIndex.OpenIfCurrent(_folder, Run(1), new MatchSettings());
        Assert.That(last, Is.Not.Null);
    }

    [Test]
    public void A_run_id_drawn_again_after_a_database_crash_is_not_the_run_the_index_reflects()
    {
        // Incremental runs commit without waiting for the disk, so a crash can lose run 2 after the index recorded it,
        // and the next run may draw id 2 again: it started later, and the index must be rebuilt for it.
        var index = MatchIndex.Rebuild(_folder, [Person(1, "SITI NURHALIZA")], Run(1), new MatchSettings());
        index.Put(Person(2, "SITI NURHALIZA TARUDIN"));
        index.Commit(Run(2));
        index.Dispose();

        Assert.That(MatchIndex.OpenIfCurrent(_folder, Run(2) with { StartedAt = Run(2).StartedAt.AddMinutes(1) }, new MatchSettings()), Is.Null);
        using var same = MatchIndex.OpenIfCurrent(_folder, Run(2), new MatchSettings());
        Assert.That(same, Is.Not.Null);
    }

    [Test]
    public void Records_put_since_the_reader_opened_are_searched_beside_it()
    {
        using var index = MatchIndex.Rebuild(_folder, [Person(1, "NUR AISYAH BINTI KAMAL")], Run(1), new MatchSettings());
        index.Put(Person(3, "NUR AISYAH KAMAL"));
        Assert.That(index.Candidates([Person(3, "NUR AISYAH KAMAL")]), Does.Contain(1L), "the first search opens the reader");

        index.Put(Person(2, "NUR AISYAH BT KAMAL"));
        Assert.That(index.Candidates([Person(3, "NUR AISYAH KAMAL")]), Is.SupersetOf(new[] { 1L, 2L }), "a record the reader does not show yet");

        index.Remove(2);
        Assert.That(index.Candidates([Person(3, "NUR AISYAH KAMAL")]), Does.Not.Contain(2L));
    }

    [Test]
    public async Task An_index_built_beside_a_run_is_the_index_built_in_line_and_waits_for_its_commit()
    {
        var records = Enumerable.Range(1, 500).Select(i => Person(i, i % 2 == 0 ? $"AHMAD BIN ABU {i}" : $"LIM MEI LING {i}")).ToList();
        using var inLine = MatchIndex.Build(Path.Combine(_folder, "in-line"), records, new MatchSettings());

        using var beside = await MatchIndex.BuildBeside(_folder, records, new MatchSettings(), CancellationToken.None);

        Assert.That(MatchIndex.OpenIfCurrent(_folder, Run(1), new MatchSettings()), Is.Null, "nothing is committed until the run is");
        var probe = new[] { Person(1000, "AHMAD BIN ABU 42"), Person(1001, "LIM MEI LING 7") };
        Assert.That(beside.Candidates(probe), Is.EquivalentTo(inLine.Candidates(probe)));
        Assert.That(beside.BuildSeconds, Is.GreaterThan(0));
    }

    [Test]
    public void A_build_given_up_leaves_the_last_commit()
    {
        MatchIndex.Rebuild(_folder, [Person(1, "TAN AH KOW")], Run(1), new MatchSettings()).Dispose();
        var records = Enumerable.Range(1, 10_000).Select(i => Person(i, $"TAN AH KOW {i}")).ToList();

        var building = MatchIndex.BuildBeside(_folder, records, new MatchSettings(), new CancellationToken(canceled: true));

        Assert.That(async () => await building, Throws.InstanceOf<OperationCanceledException>());
        using var last = MatchIndex.OpenIfCurrent(_folder, Run(1), new MatchSettings());
        Assert.That(last, Is.Not.Null);
    }
}
