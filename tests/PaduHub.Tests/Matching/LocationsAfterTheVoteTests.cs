using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>
/// EM over the identity fields alone can settle on namesakes (the same name, another birth date and IC) where they
/// outnumber the people; the vote of every field then puts the identity fields right. The locations were fitted on
/// the namesakes' posteriors before it, and are fitted again on the vote's: a utility account at its holder's address
/// must count that address for the match.
/// </summary>
public sealed class LocationsAfterTheVoteTests
{
    static readonly Comparison[] s_comparisons = [Comparisons.FullName, Comparisons.DateOfBirth, Comparisons.NationalId, Comparisons.Sex, Comparisons.Street];

    static Dictionary<ulong, long> Pairs()
    {
        var pairs = new Dictionary<ulong, long>();
        void Add(sbyte name, sbyte birth, sbyte id, sbyte sex, sbyte address, long count) =>
            pairs[LevelPatterns.Pack([name, birth, id, sex, address])] = count;
        Add(5, 4, 2, 1, 3, 1_000);             // one person, both records from the registry and the tax office, one address
        Add(5, 4, -1, 1, 0, 200);              // one person who moved, one record without an IC
        Add(5, -1, -1, -1, 3, 1_000);          // a utility account (a name and an address) and its holder's record
        Add(5, 0, 0, 1, 0, 6_000);             // namesakes living apart
        Add(0, 0, 0, 1, 3, 1_500);             // a household's members
        Add(0, 0, 0, 0, 3, 1_500);
        Add(0, 0, 0, 1, 0, 10_000);            // strangers
        Add(0, 0, 0, 0, 0, 10_000);
        return pairs;
    }

    /// <summary>The namesakes' class as identity-only EM can find it on such data: a birth date and an IC that mostly differ.</summary>
    static ModelFit AtTheNamesakes() => FittedTable.Of(s_comparisons,
        [
            ([0.02, 0.01, 0.02, 0.02, 0.03, 0.9], [0.4, 0.01, 0.1, 0.05, 0.04, 0.4]),
            ([0.62, 0.001, 0.001, 0.001, 0.377], [0.9, 0.03, 0.02, 0.001, 0.049]),
            ([0.6, 0.01, 0.39], [0.99, 0.005, 0.005]),
            ([0.001, 0.999], [0.4, 0.6]),
            ([0.7, 0.1, 0.01, 0.19], [0.7, 0.1, 0.01, 0.19]),
        ], 0.15);

    [Test]
    public void A_vote_that_puts_identity_right_has_the_locations_fitted_on_its_posteriors()
    {
        var fit = AtTheNamesakes();
        var identity = s_comparisons.Select(c => c.IsIdentity).ToArray();

        fit.FitAroundIdentity(Pairs(), identity);
        var before = fit.ToModel().Parameters[4];
        Assert.That(before.M[^1], Is.LessThan(0.5), "namesakes live apart: fitted on them, a match seldom shares an address");

        var dropped = ModelTraining.VoteWithAllFields(fit, Pairs(), identity);
        var model = fit.ToModel();
        var (birth, address) = (model.Parameters[1], model.Parameters[4]);
        TestContext.Out.WriteLine($"lambda {model.Lambda:0.000}; birth date exact m {birth.M[^1]:0.000}; address exact m {address.M[^1]:0.000}, {Math.Log2(address.M[^1] / address.U[^1]):0.00} bits");

        Assert.That(dropped, Is.Null);
        Assert.That(fit.LocationVoteDropped, Is.False, "the vote was kept");
        Assert.That(birth.M[^1], Is.GreaterThan(0.9), "the vote's class is the people, whose birth dates agree");
        Assert.That(address.M[^1], Is.GreaterThan(0.8), "of the 2,200 matches with both addresses, 2,000 share one");
        Assert.That(Math.Log2(address.M[^1] / address.U[^1]), Is.GreaterThan(1), "a shared address is evidence for the match");
    }
}
