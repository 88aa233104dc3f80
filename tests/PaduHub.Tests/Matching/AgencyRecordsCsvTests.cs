using PaduHub.Matching;
using PaduHub.Samples;

namespace PaduHub.Tests.Matching;

/// <summary>
/// Malaysian agency records handed over as one CSV, matched as match-csv matches them: the hard cases of the harder
/// profile (old ICs and passports in the IC column, missing ICs, twins with sequential MyKads, names that change) at
/// a size that runs in seconds, and the same population again under another seed.
/// </summary>
public sealed class AgencyRecordsCsvTests
{
    static (PairwiseScore Score, List<ClassBreakdown.HardNegativeKind> Negatives) Match(long people, ulong seed, NoiseSettings noise)
    {
        var work = Path.Combine(Path.GetTempPath(), $"paduhub-agency-csv-{Guid.NewGuid():N}");
        try
        {
            var population = Path.Combine(work, "population");
            PopulationGenerator.Generate(new GeneratorOptions { People = people, Seed = seed, OutDir = population, Noise = noise });
            var csv = Path.Combine(work, "csv");
            var count = SingleFileExport.Write(population, csv);
            var records = CsvLinkage.Read([Path.Combine(csv, "records.csv")], LinkageSchema.Load(Path.Combine(csv, "schema.json")), new DateOnly(2026, 12, 5));
            Assert.That(records, Has.Count.EqualTo(count), "every agency record is a row");
            var result = Linkage.Run(records, new MatchSettings());
            var predicted = result.Records.ToDictionary(r => r.Key, r => result.ClusterOf[r.Index].ToString(System.Globalization.CultureInfo.InvariantCulture));
            var truth = File.ReadLines(Path.Combine(csv, "truth.csv")).Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], f => f[1]);
            Assert.That(result.Model.Sanity.FellBack, Is.False, result.Model.Sanity.Verdict);
            return (PairwiseEvaluation.Score(predicted, truth), ClassBreakdown.Of(population, predicted).HardNegatives);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [TestCase(11UL)]
    [TestCase(23UL)]
    public void The_harder_profile_matches_with_near_perfect_precision(ulong seed)
    {
        var (score, negatives) = Match(4_000, seed, NoiseSettings.Harder);
        TestContext.Out.WriteLine($"seed {seed}: P {score.Precision:0.0000} R {score.Recall:0.0000} F1 {score.F1:0.0000}");
        Assert.That(score.Precision, Is.GreaterThanOrEqualTo(0.995));
        Assert.That(score.F1, Is.GreaterThanOrEqualTo(0.97));
        var twins = negatives.Single(n => n.Kind == "twin");
        Assert.That(twins.Joined, Is.LessThanOrEqualTo(1), $"twins joined: {twins.Joined} of {twins.PairsOfPeople}");
    }

    [Test]
    public void The_default_profile_matches_above_the_generated_target()
    {
        var (score, _) = Match(4_000, 7, NoiseSettings.Default);
        TestContext.Out.WriteLine($"P {score.Precision:0.0000} R {score.Recall:0.0000} F1 {score.F1:0.0000}");
        Assert.That(score.F1, Is.GreaterThanOrEqualTo(0.995));
    }
}
