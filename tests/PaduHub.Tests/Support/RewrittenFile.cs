using PaduHub.Matching;

namespace PaduHub.Tests;

/// <summary>
/// A public dataset rewritten as another file of the same people might come (names in one column, a field dropped, a
/// column added), matched as match-csv does with the default settings and scored pairwise against its truth.
/// </summary>
public static class RewrittenFile
{
    static readonly DateOnly s_today = new(2026, 12, 7);

    public static PairwiseScore Match(IEnumerable<string> lines, string schemaJson, Dictionary<string, string> truth, Action<MatchModel>? inspect = null)
    {
        var folder = Directory.CreateTempSubdirectory("padu-rewritten-").FullName;
        try
        {
            var (path, schema) = (Path.Combine(folder, "people.csv"), Path.Combine(folder, "schema.json"));
            File.WriteAllLines(path, lines);
            File.WriteAllText(schema, schemaJson);
            var records = CsvLinkage.Read([path], LinkageSchema.Load(schema), s_today);
            var result = Linkage.Run(records, new MatchSettings());
            var score = PairwiseEvaluation.Score(records.ToDictionary(r => r.Key, r => records[result.ClusterOf[r.Index]].Key), truth);
            TestContext.Out.WriteLine($"precision {score.Precision:0.0000} recall {score.Recall:0.0000} F1 {score.F1:0.0000}, model {result.Model.Sanity.Verdict}");
            Assert.That(ModelSanity.Problems(result.Model, result.Candidates.Count, records.Count), Is.Empty, "the model in use passes its checks");
            inspect?.Invoke(result.Model);
            return score;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
