using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>
/// The birth dates' distance refines a different birth date (<see cref="Comparison.Refines"/>): it adds evidence and
/// moves nothing else. It once voted in the sessions' fit, counting the birth date twice, so that on a grown register
/// of historical people the sessions' fit passed its checks where it had not and was used instead of prior m, at a
/// cost in recall (benchmarks/results/linkage-amd-epyc.md, session 27).
/// </summary>
public sealed class BirthDateDistanceTests
{
    static readonly DateOnly s_today = new(2026, 11, 27);

    [Test]
    public void The_sessions_fit_every_other_field_as_they_would_without_it()
    {
        // FEBRL dataset1's names and birth dates alone: EM's fit fails its checks there and the sessions' is used.
        var schema = Path.Combine(Path.GetTempPath(), $"padu-names-and-birth-{Guid.NewGuid():N}.json");
        File.WriteAllText(schema, """{ "columns": { "rec_id": "id", "given_name": "given_name", "surname": "surname", "date_of_birth": "date_of_birth" } }""");
        List<MatchRecord> records;
        try
        {
            records = CsvLinkage.Read([Datasets.File("febrl/dataset1.csv")], LinkageSchema.Load(schema), s_today);
        }
        finally
        {
            File.Delete(schema);
        }
        var candidates = Linkage.Run(records, new MatchSettings()).Candidates;
        var all = Comparisons.For(records);
        Assert.That(all, Does.Contain(Comparisons.DateOfBirthDistance));
        var without = all.Where(c => c != Comparisons.DateOfBirthDistance).ToArray();

        var with = ModelTraining.Train(records, candidates, all);
        var alone = ModelTraining.Train(records, candidates, without);

        Assert.That((with.FittedBySessions, alone.FittedBySessions), Is.EqualTo((true, true)), "FEBRL dataset1's names and birth dates are fitted by the sessions");
        for (var i = 0; i < without.Length; i++)
        {
            var p = with.Parameters[Array.IndexOf(all, without[i])];
            Assert.That(p.M, Is.EqualTo(alone.Parameters[i].M).Within(1e-9), $"{p.Name}'s m");
        }
    }
}
