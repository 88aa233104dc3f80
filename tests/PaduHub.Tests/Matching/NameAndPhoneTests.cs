using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>
/// A household shares a phone and not a name; namesakes share a name and not a phone. Among candidate pairs that are
/// not one person an exact name and an exact phone then seldom meet, and the model measures how much rarer than their
/// rates multiplied (MatchModel.NameAndPhoneBits), on the candidate pairs surely two people (birth dates or
/// identifiers different outright); where phones are shared regardless of names it measures nothing. Two utility accounts of one person who moved, under one name and one
/// mobile, are what it is for.
/// </summary>
public sealed class NameAndPhoneTests
{
    static readonly Comparison[] s_comparisons = [Comparisons.FullName, Comparisons.DateOfBirth, Comparisons.Phone];

    static Dictionary<ulong, long> Pairs(bool householdsSharePhones)
    {
        var pairs = new Dictionary<ulong, long>();
        void Add(sbyte name, sbyte birth, sbyte phone, long count)
        {
            var key = LevelPatterns.Pack([name, birth, phone]);
            pairs[key] = pairs.GetValueOrDefault(key) + count;
        }
        Add(5, 4, 2, 500);                     // one person, the same mobile
        Add(5, 4, 0, 200);
        Add(5, -1, 2, 300);                    // utility accounts: no birth date
        Add(5, -1, 0, 100);
        Add(0, 0, 0, 60_000);                  // strangers
        Add(2, 0, 0, 5_000);
        Add(5, 0, 0, 2_000);                   // namesakes
        Add(5, -1, 0, 1_000);
        if (householdsSharePhones)
        {
            Add(0, 0, 2, 6_000);               // a household's members: one phone, their own names
            Add(2, 0, 2, 1_500);
        }
        else
        {
            Add(0, 0, 2, 6_000);               // a phone shared as often whatever the names
            Add(2, 0, 2, 500);
            Add(5, 0, 2, 200);
            Add(5, -1, 2, 100);
        }
        return pairs;
    }

    static ModelFit Fit(Dictionary<ulong, long> pairs)
    {
        (double[] M, double[] U)[] parameters =
        [
            ([0.019, 0.001, 0.02, 0.06, 0.1, 0.8], [0.69, 0.01, 0.2, 0.05, 0.02, 0.03]),
            ([0.01, 0.001, 0.008, 0.001, 0.98], [0.9, 0.01, 0.019, 0.001, 0.07]),
            ([0.3, 0.001, 0.699], [0.85, 0.001, 0.149]),
        ];
        return FittedTable.Of(s_comparisons, parameters, 1_100.0 / pairs.Values.Sum());
    }

    [Test]
    public void A_name_and_a_phone_together_earn_bits_where_households_share_phones_and_not_where_phones_are_shared_at_random()
    {
        var households = Fit(Pairs(householdsSharePhones: true));
        households.FitNameAndPhone(Pairs(householdsSharePhones: true));
        var random = Fit(Pairs(householdsSharePhones: false));
        random.FitNameAndPhone(Pairs(householdsSharePhones: false));
        TestContext.Out.WriteLine($"name exact and phone exact: {households.NameAndPhoneBits[0]:0.00} bits with households, {random.NameAndPhoneBits[0]:0.00} at random");

        Assert.That(households.NameAndPhoneBits[0], Is.GreaterThan(1));
        Assert.That(random.NameAndPhoneBits[0], Is.LessThan(households.NameAndPhoneBits[0] - 1));

        var model = households.ToModel();
        var record = MatchRecord.From(0, "test", "0", new PersonFacts { FullName = "VANI A/P RAJ", Phone = "0182605784" }, new DateOnly(2026, 12, 1));
        sbyte[] accounts = [5, -1, 2];
        var without = new MatchModel { Comparisons = model.Comparisons, Parameters = model.Parameters, Lambda = model.Lambda, TotalRecords = model.TotalRecords };
        Assert.That(model.Weight(LevelPatterns.Pack(accounts), record) - without.Weight(LevelPatterns.Pack(accounts), record),
            Is.EqualTo(model.NameAndPhoneBits[0]).Within(1e-9));
        Assert.That(model.Weight(LevelPatterns.Pack([0, -1, 2]), record), Is.EqualTo(without.Weight(LevelPatterns.Pack([0, -1, 2]), record)),
            "a phone with a different name gets nothing");
        Assert.That(model.Score(LevelPatterns.Pack(accounts), record, record).Fields.Select(f => f.Field), Does.Contain(MatchModel.NameAndPhoneField));
        Assert.That(StoredModel.Parse(StoredModel.ToJson(model)).NameAndPhoneBits, Is.EqualTo(model.NameAndPhoneBits), "stored with the model");
    }
}
