using System.Text;
using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

public sealed class PairwiseEvaluationTests
{
    static List<string> FebrlIds() =>
        File.ReadLines(Datasets.File(Path.Combine("febrl", "dataset1.csv")), Encoding.UTF8).Skip(1).Select(l => l.Split(',')[0].Trim()).ToList();

    [Test]
    public void The_truth_itself_scores_one()
    {
        var ids = FebrlIds();
        var truth = ids.ToDictionary(id => id, id => PairwiseEvaluation.FebrlEntity(id)!);

        var score = PairwiseEvaluation.Score(truth, truth);

        Assert.That((score.Records, score.TruePairs), Is.EqualTo((1000L, 500L)), "FEBRL dataset1 has 1,000 records and 500 true pairs");
        Assert.That((score.Precision, score.Recall, score.F1), Is.EqualTo((1.0, 1.0, 1.0)));
    }

    [Test]
    public void Singletons_find_nothing_and_one_big_cluster_finds_everything_wrongly()
    {
        var ids = FebrlIds();
        var truth = ids.ToDictionary(id => id, id => PairwiseEvaluation.FebrlEntity(id)!);

        var singletons = PairwiseEvaluation.Score(ids.ToDictionary(id => id, id => id), truth);
        var lumped = PairwiseEvaluation.Score(ids.ToDictionary(id => id, _ => "all"), truth);

        Assert.That((singletons.Recall, singletons.F1), Is.EqualTo((0.0, 0.0)));
        Assert.That(lumped.Recall, Is.EqualTo(1.0));
        Assert.That(lumped.PredictedPairs, Is.EqualTo(1000L * 999 / 2));
        Assert.That(lumped.Precision, Is.EqualTo(500.0 / (1000 * 999 / 2)));
    }

    [Test]
    public void A_wrong_merge_and_a_missed_merge_each_cost_their_pairs()
    {
        var truth = new Dictionary<string, string> { ["a1"] = "A", ["a2"] = "A", ["a3"] = "A", ["b1"] = "B", ["c1"] = "C" };
        // a3 missed (2 true pairs lost), b1 and c1 wrongly merged (1 false pair).
        var predicted = new Dictionary<string, string> { ["a1"] = "1", ["a2"] = "1", ["a3"] = "2", ["b1"] = "3", ["c1"] = "3" };

        var score = PairwiseEvaluation.Score(predicted, truth);

        Assert.That((score.TruePairs, score.PredictedPairs, score.CorrectPairs), Is.EqualTo((3L, 2L, 1L)));
        Assert.That(score.Precision, Is.EqualTo(0.5));
        Assert.That(score.Recall, Is.EqualTo(1.0 / 3));
    }

    [Test]
    public void Records_outside_the_truth_are_refused()
    {
        Assert.That(() => PairwiseEvaluation.Score(new Dictionary<string, string> { ["x"] = "1" }, new Dictionary<string, string>()),
            Throws.ArgumentException.With.Message.Contains("without a truth entry"));
    }
}
