using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>
/// Someone who moved disagrees on address, postcode, town and state at once: one fact, not four. The model measures
/// how much less such a pair tells against a match than the four weights summed (MatchModel.MovedBits), from its own
/// posteriors, and gives it back; where locations disagree independently it measures nothing. On the generated
/// population it comes out at 8 bits (the match benchmark prints it).
/// </summary>
public sealed class MovedTests
{
    static readonly Comparison[] s_comparisons =
        [Comparisons.FullName, Comparisons.DateOfBirth, Comparisons.Street, Comparisons.Postcode, Comparisons.City, Comparisons.State];

    /// <summary>Candidate pairs by pattern: matches (name and birth date exact) that moved or stayed, and strangers.</summary>
    static Dictionary<ulong, long> Pairs(bool locationsMoveTogether)
    {
        var pairs = new Dictionary<ulong, long>();
        void Add(sbyte name, sbyte birth, sbyte street, sbyte postcode, sbyte city, sbyte state, long count)
        {
            var key = LevelPatterns.Pack([name, birth, street, postcode, city, state]);
            pairs[key] = pairs.GetValueOrDefault(key) + count;
        }
        Add(3, 3, 3, 2, 2, 1, 700);           // stayed
        if (locationsMoveTogether)
        {
            Add(3, 3, 0, 0, 0, 0, 300);       // moved: everything at once
        }
        else
        {
            Add(3, 3, 0, 2, 2, 1, 75);        // one field wrong at a time
            Add(3, 3, 3, 0, 2, 1, 75);
            Add(3, 3, 3, 2, 0, 1, 75);
            Add(3, 3, 3, 2, 2, 0, 75);
        }
        Add(0, 0, 0, 0, 0, 0, 60_000);        // strangers
        Add(0, 0, 0, 0, 0, 1, 20_000);
        Add(1, 0, 0, 0, 2, 1, 5_000);
        Add(0, 3, 0, 2, 2, 1, 2_000);
        return pairs;
    }

    static ModelFit Fit(Dictionary<ulong, long> pairs)
    {
        // m and u as EM over these pairs would leave them: a location disagreeing is common among the matches too.
        (double[] M, double[] U)[] parameters =
        [
            ([0.01, 0.02, 0.02, 0.95], [0.93, 0.06, 0.005, 0.005]),
            ([0.01, 0.01, 0.01, 0.97], [0.97, 0.005, 0.005, 0.02]),
            ([0.3, 0.01, 0.01, 0.68], [0.99, 0.004, 0.003, 0.003]),
            ([0.3, 0.01, 0.69], [0.97, 0.01, 0.02]),
            ([0.3, 0.01, 0.69], [0.96, 0.01, 0.03]),
            ([0.3, 0.7], [0.7, 0.3]),
        ];
        return FittedTable.Of(s_comparisons, parameters, 1_000.0 / pairs.Values.Sum());
    }

    [Test]
    public void A_move_counted_four_times_is_given_back_and_independent_slips_are_not()
    {
        var together = Fit(Pairs(locationsMoveTogether: true));
        together.FitMoved(Pairs(locationsMoveTogether: true));
        var apart = Fit(Pairs(locationsMoveTogether: false));
        apart.FitMoved(Pairs(locationsMoveTogether: false));
        TestContext.Out.WriteLine($"moved bits: {together.MovedBits:0.00} when locations move together, {apart.MovedBits:0.00} when they slip apart");

        Assert.That(together.MovedBits, Is.GreaterThan(2));
        Assert.That(apart.MovedBits, Is.LessThan(together.MovedBits - 2));

        var model = together.ToModel();
        var mover = (Levels: new sbyte[] { 3, 3, 0, 0, 0, 0 }, Stayed: new sbyte[] { 3, 3, 3, 2, 2, 1 });
        var record = MatchRecord.From(0, "test", "0", new PersonFacts { FullName = "AHMAD BIN ALI" }, new DateOnly(2026, 12, 1));
        var moved = model.Weight(LevelPatterns.Pack(mover.Levels), record);
        Assert.That(moved - ModelWithout(model).Weight(LevelPatterns.Pack(mover.Levels), record), Is.EqualTo(model.MovedBits).Within(1e-9));
        Assert.That(model.Weight(LevelPatterns.Pack(mover.Stayed), record), Is.EqualTo(ModelWithout(model).Weight(LevelPatterns.Pack(mover.Stayed), record)),
            "a pair that stayed gets nothing");
        Assert.That(StoredModel.Parse(StoredModel.ToJson(model)).MovedBits, Is.EqualTo(model.MovedBits), "stored with the model");
    }

    [Test]
    public void A_move_within_a_state_is_given_back_too_and_parts_that_slip_alone_are_not()
    {
        // Movers who stay in their state: address, postcode and town change together, the state does not.
        var pairs = Pairs(locationsMoveTogether: false);
        pairs[LevelPatterns.Pack([3, 3, 0, 0, 0, 1])] = 300;
        var fit = Fit(pairs);
        fit.FitMoved(pairs);
        fit.FitAddressMoves(pairs);
        var model = fit.ToModel();
        var within = MatchModel.AddressCode([3, 3, 0, 0, 0, 1], MatchModel.AddressPartsOf(s_comparisons));
        var postcodeAlone = MatchModel.AddressCode([3, 3, 3, 0, 2, 1], MatchModel.AddressPartsOf(s_comparisons));
        TestContext.Out.WriteLine($"moved within a state: {model.AddressMoveBits.GetValueOrDefault(within):0.00} bits; a postcode slip alone: {model.AddressMoveBits.GetValueOrDefault(postcodeAlone):0.00}");

        Assert.That(model.AddressMoveBits.GetValueOrDefault(within), Is.GreaterThan(2));
        Assert.That(model.AddressMoveBits.GetValueOrDefault(postcodeAlone), Is.LessThan(1), "one part wrong at a time is one piece of evidence");
        var record = MatchRecord.From(0, "test", "0", new PersonFacts { FullName = "AHMAD BIN ALI" }, new DateOnly(2026, 12, 1));
        sbyte[] mover = [3, 3, 0, 0, 0, 1];
        Assert.That(model.Weight(LevelPatterns.Pack(mover), record) - ModelWithout(model).Weight(LevelPatterns.Pack(mover), record),
            Is.EqualTo(model.AddressMoveBits[within]).Within(1e-9));
        Assert.That(StoredModel.Parse(StoredModel.ToJson(model)).AddressMoveBits, Is.EquivalentTo(model.AddressMoveBits), "stored with the model");
    }

    static MatchModel ModelWithout(MatchModel model) => new()
    {
        Comparisons = model.Comparisons,
        Parameters = model.Parameters,
        Lambda = model.Lambda,
        TotalRecords = model.TotalRecords,
    };
}
