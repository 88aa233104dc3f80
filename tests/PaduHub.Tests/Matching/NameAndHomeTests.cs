using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>
/// A household shares a home and not a name; namesakes share a name and seldom a home. Among candidate pairs surely two
/// people an agreeing name at the same numbered home is then rarer than the two rates multiplied, and the model measures
/// how much (MatchModel.NameAndHomeBits). An electricity account in the registered person's own name, with no IC and no
/// birth date, at the registered home is what it is for.
/// </summary>
public sealed class NameAndHomeTests
{
    static readonly Comparison[] s_comparisons = [Comparisons.FullName, Comparisons.DateOfBirth, Comparisons.Street];

    static Dictionary<ulong, long> Pairs(bool householdsShareHomes)
    {
        var pairs = new Dictionary<ulong, long>();
        void Add(sbyte name, sbyte birth, sbyte home, long count)
        {
            var key = LevelPatterns.Pack([name, birth, home]);
            pairs[key] = pairs.GetValueOrDefault(key) + count;
        }
        Add(5, 4, 3, 500);                     // one person at home
        Add(5, 4, 0, 200);                     // one person who moved
        Add(3, -1, 3, 300);                    // electricity accounts in the own name: no birth date
        Add(0, 0, 0, 60_000);                  // strangers
        Add(3, 0, 0, 3_000);                   // namesakes, one with a name part more
        Add(5, 0, 0, 2_000);
        if (householdsShareHomes)
        {
            Add(0, 0, 3, 6_000);               // a household's members: one home, their own names
            Add(2, 0, 3, 1_500);
        }
        else
        {
            Add(0, 0, 3, 6_000);               // a home shared as often whatever the names (a hostel's rooms)
            Add(3, 0, 3, 300);
            Add(5, 0, 3, 200);
        }
        return pairs;
    }

    static ModelFit Fit(Dictionary<ulong, long> pairs)
    {
        (double[] M, double[] U)[] parameters =
        [
            ([0.019, 0.001, 0.02, 0.06, 0.1, 0.8], [0.69, 0.01, 0.2, 0.05, 0.02, 0.03]),
            ([0.01, 0.001, 0.008, 0.001, 0.98], [0.9, 0.01, 0.019, 0.001, 0.07]),
            ([0.2, 0.05, 0.001, 0.749], [0.8, 0.05, 0.01, 0.14]),
        ];
        return FittedTable.Of(s_comparisons, parameters, 1_000.0 / pairs.Values.Sum());
    }

    [Test]
    public void A_name_at_its_own_home_earns_bits_where_households_share_homes_and_not_where_homes_are_shared_whatever_the_names()
    {
        var households = Fit(Pairs(householdsShareHomes: true));
        households.FitNameAndHome(Pairs(householdsShareHomes: true));
        var hostel = Fit(Pairs(householdsShareHomes: false));
        hostel.FitNameAndHome(Pairs(householdsShareHomes: false));
        TestContext.Out.WriteLine($"a name part more or less at the same home: {households.NameAndHomeBits[2]:0.00} bits with households, {hostel.NameAndHomeBits[2]:0.00} in hostels");

        Assert.That(households.NameAndHomeBits[2], Is.GreaterThan(1));
        Assert.That(hostel.NameAndHomeBits[2], Is.LessThan(households.NameAndHomeBits[2] - 1));

        var model = households.ToModel();
        var record = MatchRecord.From(0, "test", "0", new PersonFacts { FullName = "NABILA BINTI ASYRAF", Address = "NO 237, JALAN JAYA 4" }, new DateOnly(2026, 12, 1));
        sbyte[] account = [3, -1, 3];
        var without = new MatchModel { Comparisons = model.Comparisons, Parameters = model.Parameters, Lambda = model.Lambda, TotalRecords = model.TotalRecords };
        Assert.That(model.Weight(LevelPatterns.Pack(account), record) - without.Weight(LevelPatterns.Pack(account), record),
            Is.EqualTo(model.NameAndHomeBits[2]).Within(1e-9));
        Assert.That(model.Weight(LevelPatterns.Pack([2, -1, 3]), record), Is.EqualTo(without.Weight(LevelPatterns.Pack([2, -1, 3]), record)),
            "a sibling's name (overlapping words) at the same home gets nothing");
        Assert.That(model.Weight(LevelPatterns.Pack([3, -1, 1]), record), Is.EqualTo(without.Weight(LevelPatterns.Pack([3, -1, 1]), record)),
            "the same street, another number, gets nothing");
        Assert.That(model.Score(LevelPatterns.Pack(account), record, record).Fields.Select(f => f.Field), Does.Contain(MatchModel.NameAndHomeField));
        Assert.That(StoredModel.Parse(StoredModel.ToJson(model)).NameAndHomeBits, Is.EqualTo(model.NameAndHomeBits), "stored with the model");
    }
}
