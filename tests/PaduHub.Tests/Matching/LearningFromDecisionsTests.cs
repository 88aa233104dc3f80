using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>
/// Steward decisions are labelled pairs, and the model learns from them (<see cref="ModelTraining.Refine"/>, which every
/// retraining full run calls): a decided pair's class replaces EM's guess. On Splink's fake_1000 with half its review
/// queue decided by the truth, m moves closer to the m counted from the true matches, and the model is surer and
/// more often right on the other half, the doubtful pairs no steward has looked at yet. The gains are small because
/// unsupervised EM is already close to the truth here; this test guards the direction, which an earlier version of
/// Refine (each decision weighted as fifty pairs) got wrong: it pulled m towards the hard cases stewards see.
/// </summary>
public sealed class LearningFromDecisionsTests
{
    static readonly DateOnly s_today = new(2026, 11, 27);

    [Test]
    public void Decisions_on_half_the_review_queue_move_m_towards_the_truth_and_sharpen_the_other_half()
    {
        var file = Datasets.File("splink/fake_1000.csv");
        var records = CsvLinkage.Read([file], LinkageSchema.Load(Path.Combine(Repository.Root, "samples", "schemas", "splink-fake-1000.json")), s_today);
        var lines = File.ReadAllLines(file);
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToList();
        int id = header.IndexOf("unique_id"), cluster = header.IndexOf("cluster");
        var truth = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[id], f => f[cluster]);
        bool Same(int a, int b) => truth[records[a].Key] == truth[records[b].Key];

        var unsupervised = Linkage.Run(records, new MatchSettings());
        var review = unsupervised.Review.Select(r => (r.Pair.A, r.Pair.B)).Distinct().ToList();
        var decided = review.Where((_, i) => i % 2 == 0).Select(p => (p.A, p.B, Same(p.A, p.B))).ToList();
        var notYet = review.Where((_, i) => i % 2 == 1).ToList();
        var learned = ModelTraining.Refine(StoredModel.Parse(StoredModel.ToJson(unsupervised.Model)), records, unsupervised.Candidates, decided);

        var oracle = TrueM(records, unsupervised.Candidates.Where(p => Same(p.A, p.B)).ToList(), unsupervised.Model);
        double Distance(MatchModel model) => model.Parameters.Select((p, i) => p.M.Zip(oracle[i], (m, o) => Math.Abs(m - o)).Sum()).Sum();
        double LogLoss(MatchModel model) => notYet.Average(p =>
        {
            var q = Math.Clamp(model.Score(records[p.A], records[p.B]).Probability, 1e-9, 1 - 1e-9);
            return Same(p.A, p.B) ? -Math.Log(q) : -Math.Log(1 - q);
        });
        TestContext.Out.WriteLine($"{decided.Count} decisions ({decided.Count(d => d.Item3)} same), {notYet.Count} doubtful pairs held out: " +
                                  $"m distance to truth {Distance(unsupervised.Model):0.0000} -> {Distance(learned):0.0000}, " +
                                  $"log loss on the held-out pairs {LogLoss(unsupervised.Model):0.0000} -> {LogLoss(learned):0.0000}");

        Assert.That(decided, Has.Count.GreaterThanOrEqualTo(20), "enough of a queue to learn from (27 since birth dates a month or a year out count as near)");
        Assert.That(Distance(learned), Is.LessThan(Distance(unsupervised.Model)), "m moves towards the truth");
        Assert.That(LogLoss(learned), Is.LessThan(LogLoss(unsupervised.Model)), "the doubtful pairs no steward decided are judged better");
    }

    /// <summary>m per comparison and level, counted directly from true matching pairs.</summary>
    static double[][] TrueM(IReadOnlyList<MatchRecord> records, List<(int A, int B)> matches, MatchModel model)
    {
        var counts = model.Parameters.Select(p => new double[p.Levels.Length]).ToArray();
        Span<sbyte> levels = stackalloc sbyte[model.Comparisons.Length];
        foreach (var (a, b) in matches)
        {
            model.Compare(records[a], records[b], levels);
            for (var i = 0; i < levels.Length; i++)
            {
                if (levels[i] >= 0)
                {
                    counts[i][levels[i]]++;
                }
            }
        }
        return counts.Select(c => c.Sum() is var s and > 0 ? c.Select(x => x / s).ToArray() : c).ToArray();
    }
}
