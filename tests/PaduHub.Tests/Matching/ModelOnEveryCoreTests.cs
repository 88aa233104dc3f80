using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>
/// A model is read by every core at once from its first use (scoring, the pairs file, the standing index). Where the
/// rules' fields sit among its comparisons was once found on first use and kept in fields of two or three values, which
/// another thread could read half-written: a run crashed in the name-and-birth bonus, and a torn position would have
/// weighed the wrong field without a word. Found once, with the comparisons, nothing is left to tear. This test checks
/// the outcome; the tear itself was too rare to make happen on demand (the old code passed it six times in six).
/// </summary>
public sealed class ModelOnEveryCoreTests
{
    [Test]
    public void A_fresh_model_weighs_every_pair_alike_on_every_core_from_its_first_call()
    {
        var records = CsvLinkage.Read([Datasets.File("splink/fake_1000.csv")],
            LinkageSchema.Load(Path.Combine(Repository.Root, "samples", "schemas", "splink-fake-1000.json")), new DateOnly(2026, 12, 7));
        var result = Linkage.Run(records, new MatchSettings());
        var json = StoredModel.ToJson(result.Model);
        var expected = result.Candidates.Select((p, k) => result.Model.Weight(result.Patterns[k], records[p.A])).ToArray();

        for (var round = 0; round < 50; round++)
        {
            var fresh = StoredModel.Parse(json);
            var weights = new double[expected.Length];
            Parallel.For(0, weights.Length, k => weights[k] = fresh.Weight(result.Patterns[k], records[result.Candidates[k].A]));

            Assert.That(weights, Is.EqualTo(expected), $"round {round}");
        }
    }
}
