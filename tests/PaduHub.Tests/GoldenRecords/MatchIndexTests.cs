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

    [Test]
    public void A_stamped_run_is_on_disk_once_the_index_closes()
    {
        var index = MatchIndex.Rebuild(_folder, [Person(1, "AMINAH BINTI YUSOF")], 1, new MatchSettings());
        index.Put(Person(2, "AMINAH YUSOF"));
        index.Stamp(2);

        Assert.That(index.Candidates([Person(2, "AMINAH YUSOF")]), Does.Contain(1L), "stamped changes are searched before they are durable");
        index.Dispose();

        using var reopened = MatchIndex.OpenIfCurrent(_folder, 2, new MatchSettings());
        Assert.That(reopened, Is.Not.Null);
        Assert.That(reopened!.Candidates([Person(3, "AMINAH BINTI YUSOF")]), Is.SupersetOf(new[] { 1L, 2L }));
    }

    [Test]
    public void After_a_crash_the_disk_shows_the_last_commit_so_a_later_run_rebuilds()
    {
        var index = MatchIndex.Rebuild(_folder, [Person(1, "TAN AH KOW")], 1, new MatchSettings());
        index.Put(Person(2, "TAN AH KAU"));
        index.Stamp(2);

        index.Abandon();   // what a killed process leaves: nothing after the last commit

        Assert.That(MatchIndex.OpenIfCurrent(_folder, 2, new MatchSettings()), Is.Null);
        using var last = MatchIndex.OpenIfCurrent(_folder, 1, new MatchSettings());
        Assert.That(last, Is.Not.Null);
    }
}
