using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>
/// The model's own estimate of a run, for users without labels, held against the truth on the public sets: the
/// expected number of matches, and precision and recall at the link threshold among the pairs blocking found, each
/// near what the labels say. An estimate this far from the truth would mislead the operator who trusts it.
/// </summary>
public sealed class ModelEstimateTests
{
    static readonly DateOnly s_today = new(2026, 11, 27);

    [TestCase("febrl/dataset1.csv", "febrl-no-id.json")]
    [TestCase("febrl/dataset2.csv", "febrl-no-id.json")]
    [TestCase("febrl/dataset2.csv", "febrl.json")]
    public void The_estimate_is_near_the_truth_on_febrl(string dataset, string schema) =>
        Check(dataset, schema, key => PairwiseEvaluation.FebrlEntity(key)!);

    [Test]
    public void The_estimate_is_near_the_truth_on_fake_1000()
    {
        var lines = File.ReadAllLines(Datasets.File("splink/fake_1000.csv"));
        var header = lines[0].Split(',').ToList();
        int id = header.IndexOf("unique_id"), cluster = header.IndexOf("cluster");
        var truth = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[id], f => f[cluster]);
        Check("splink/fake_1000.csv", "splink-fake-1000.json", key => truth[key]);
    }

    static void Check(string dataset, string schema, Func<string, string> entityOf)
    {
        var records = CsvLinkage.Read([Datasets.File(dataset)], LinkageSchema.Load(Path.Combine(Repository.Root, "samples", "schemas", schema)), s_today);
        var settings = new MatchSettings();
        var result = Linkage.Run(records, settings);
        var estimate = result.Estimate;

        var same = result.Candidates.Select(c => entityOf(records[c.A].Key) == entityOf(records[c.B].Key)).ToArray();
        var trueAmongCandidates = same.Count(s => s);
        var linkWeight = Clustering.Weight(settings.LinkProbability);
        var linked = result.Pairs.Where(p => p.Weight >= linkWeight).ToList();
        var trueLinked = linked.Count(p => entityOf(records[p.A].Key) == entityOf(records[p.B].Key));
        var (precision, recall) = ((double)trueLinked / linked.Count, (double)trueLinked / trueAmongCandidates);
        TestContext.Out.WriteLine($"{dataset} ({schema}): {estimate.Describe()}");
        TestContext.Out.WriteLine($"  truth: {trueAmongCandidates} matches among candidates; at the link threshold precision {precision:0.0000}, recall {recall:0.0000}");

        Assert.That(estimate.CandidatePairs, Is.EqualTo(result.Candidates.Count));
        Assert.That(estimate.PairsAtLink, Is.EqualTo(linked.Count));
        Assert.That(estimate.ExpectedMatches, Is.EqualTo(trueAmongCandidates).Within(15).Percent);
        Assert.That(estimate.PrecisionAtLink, Is.EqualTo(precision).Within(0.03));
        Assert.That(estimate.RecallAtLink, Is.EqualTo(recall).Within(0.05));
        Assert.That(ModelEstimate.Parse(System.Text.Json.JsonSerializer.Serialize(estimate,
            new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower })), Is.EqualTo(estimate),
            "as stored in match_run.estimate");
    }
}
