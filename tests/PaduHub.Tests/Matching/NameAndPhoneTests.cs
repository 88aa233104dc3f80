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

    static readonly Comparison[] s_withHomes = [Comparisons.FullName, Comparisons.DateOfBirth, Comparisons.Street, Comparisons.Phone];

    /// <summary>Households share a home and a phone (a few children under one name among them); strangers elsewhere share an office's line at most.</summary>
    static Dictionary<ulong, long> PairsWithHomes()
    {
        var pairs = new Dictionary<ulong, long>();
        void Add(sbyte name, sbyte birth, sbyte home, sbyte phone, long count) => pairs[LevelPatterns.Pack([name, birth, home, phone])] = count;
        Add(5, 4, 3, 2, 500);                  // one person at one home
        Add(5, -1, 0, 2, 300);                 // one person's accounts before and after a move
        Add(5, -1, 3, 2, 200);
        Add(0, 0, 3, 2, 6_000);                // a household: one home, one phone, their own names
        Add(2, 0, 3, 2, 1_500);
        Add(5, 0, 3, 2, 40);                   // two children given one name
        Add(0, 0, 0, 0, 60_000);               // strangers
        Add(0, 0, 0, 2, 600);                  // an office's line
        Add(5, 0, 0, 0, 2_000);                // namesakes
        Add(5, -1, 0, 0, 1_000);
        return pairs;
    }

    [Test]
    public void Where_records_carry_a_home_a_name_and_phone_at_different_homes_is_measured_apart_from_one_at_the_same_home()
    {
        (double[] M, double[] U)[] parameters =
        [
            ([0.019, 0.001, 0.02, 0.06, 0.1, 0.8], [0.69, 0.01, 0.2, 0.05, 0.02, 0.03]),
            ([0.01, 0.001, 0.008, 0.001, 0.98], [0.9, 0.01, 0.019, 0.001, 0.07]),
            ([0.3, 0.01, 0.09, 0.6], [0.8, 0.01, 0.07, 0.12]),
            ([0.3, 0.001, 0.699], [0.85, 0.001, 0.149]),
        ];
        var pairs = PairsWithHomes();
        var fit = FittedTable.Of(s_withHomes, parameters, 1_000.0 / pairs.Values.Sum());
        fit.FitNameAndPhone(pairs);
        TestContext.Out.WriteLine($"name exact and phone exact: {fit.NameAndPhoneBits[0]:0.00} bits at different homes, {fit.NameAndPhoneBits[3]:0.00} at one home");

        Assert.That(fit.NameAndPhoneBits, Has.Length.EqualTo(2 * (MatchModel.LooserNameDepths + 1)), "different homes first, the same home after");
        Assert.That(fit.NameAndPhoneBits[0], Is.GreaterThan(6), "no namesakes at different homes share a phone");
        Assert.That(fit.NameAndPhoneBits[3], Is.Zero, "at one home, children under one name share its phone");

        var model = fit.ToModel();
        var record = MatchRecord.From(0, "test", "0", new PersonFacts { FullName = "VANI A/P RAJ", Phone = "0182605784" }, new DateOnly(2026, 12, 1));
        var without = new MatchModel { Comparisons = model.Comparisons, Parameters = model.Parameters, Lambda = model.Lambda, TotalRecords = model.TotalRecords };
        double Bonus(MatchModel m, sbyte home) => m.Weight(LevelPatterns.Pack([5, -1, home, 2]), record) - without.Weight(LevelPatterns.Pack([5, -1, home, 2]), record);
        Assert.That(Bonus(model, 0), Is.EqualTo(model.NameAndPhoneBits[0]).Within(1e-9), "moved accounts read the different homes' bits");
        Assert.That(Bonus(model, 3), Is.Zero.Within(1e-9), "the same home reads its own");

        var stored = new MatchModel { Comparisons = model.Comparisons, Parameters = model.Parameters, Lambda = model.Lambda, TotalRecords = model.TotalRecords, NameAndPhoneBits = [2.5, 1, 0.5] };
        Assert.That(Bonus(stored, 3), Is.EqualTo(2.5).Within(1e-9), "a model stored before the split reads its bits by the name's depth alone");
        Assert.That(Bonus(stored, 0), Is.EqualTo(2.5).Within(1e-9));
    }
}
