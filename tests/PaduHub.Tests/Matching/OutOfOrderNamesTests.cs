using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>
/// A name in parts whose slip outweighs its exact agreement fails EM's fit where the class is namesakes (decision record
/// 8). Where the sessions' fit passes its own checks and its people write every identity field alike as often as EM's
/// class does, the class is people: the exact name weighs little only because blocking made it common among the
/// candidates, and EM's fit is kept (a register copied and miscopied many times over gained most: benchmarks/results,
/// session 28).
/// </summary>
public sealed class OutOfOrderNamesTests
{
    static MatchModel Train(string dataset, string schema)
    {
        var records = CsvLinkage.Read([Datasets.File(dataset)], LinkageSchema.Load(Path.Combine(Repository.Root, "samples", "schemas", schema)), new DateOnly(2026, 12, 7));
        return Linkage.Run(records, new MatchSettings()).Model;
    }

    [Test]
    public void A_surname_out_of_order_that_the_sessions_people_write_alike_as_often_keeps_EMs_fit()
    {
        var febrl = Train("febrl/dataset1.csv", "febrl.json");
        var surname = febrl.Parameters.Single(p => p.Name == Comparisons.Surname.Name);

        Assert.That(Math.Log2(surname.M[^1] / surname.U[^1]), Is.LessThan(surname.Levels.Select((_, l) => Math.Log2(surname.M[l] / surname.U[l])).SkipLast(1).Max() - 1),
            "the surname's exact level weighs less than a slip");
        Assert.That(febrl.Sanity.Verdict, Is.EqualTo(ModelSanity.Sound));
        Assert.That(febrl.Sanity.PeoplesNames, Does.Contain(Comparisons.Surname.Name));
        Assert.That(febrl.Sanity.Notes, Has.Some.Contains("people, not namesakes"));
    }

    [Test]
    public void Names_out_of_order_where_the_sessions_fail_their_own_checks_fall_back()
    {
        var rl = Train("rldata/RLdata500.csv", "rldata500.json");

        Assert.That(rl.Sanity.Verdict, Is.EqualTo(ModelSanity.FellBackToPriors));
        Assert.That(rl.Sanity.Reasons, Has.Some.Contains("a looser given_name level weighs"));
        Assert.That(rl.Sanity.PeoplesNames, Is.Null.Or.Empty);
    }
}
