using System.Text;
using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>
/// Two files are a link: FEBRL dataset1 split into its originals and its duplicates, linked without the id column.
/// Only pairs across the files are compared, clustered and scored.
/// </summary>
public sealed class LinkModeTests
{
    static readonly DateOnly s_today = new(2026, 11, 27);

    /// <remarks><c>firstDuplicatesOnly</c>: the second file holds each original's first duplicate (-dup-0) alone.</remarks>
    static (string Originals, string Duplicates) Split(string dataset = "febrl/dataset1.csv", bool firstDuplicatesOnly = false)
    {
        var lines = File.ReadAllLines(Datasets.File(dataset), Encoding.UTF8);
        var folder = Directory.CreateTempSubdirectory("padu-link-").FullName;
        var (a, b) = (Path.Combine(folder, "originals.csv"), Path.Combine(folder, "duplicates.csv"));
        File.WriteAllLines(a, [lines[0], .. lines.Skip(1).Where(l => l.Split(',')[0].Contains("-org", StringComparison.Ordinal))]);
        File.WriteAllLines(b, [lines[0], .. lines.Skip(1).Where(l => firstDuplicatesOnly
            ? l.Split(',')[0].EndsWith("-dup-0", StringComparison.Ordinal)
            : !l.Split(',')[0].Contains("-org", StringComparison.Ordinal))]);
        return (a, b);
    }

    [TestCase(1_000)]
    [TestCase(300_000)]
    public void A_link_learns_u_from_random_pairs_across_the_files_only(int randomPairs)
    {
        // Within each file everyone shares a surname, and the two files' surnames differ: within-file pairs would make
        // an exact surname look common among strangers; across the files it never happens.
        var records = new List<MatchRecord>();
        for (var i = 0; i < 600; i++)
        {
            var (source, surname) = i < 400 ? ("a.csv", "TAN") : ("b.csv", "LIM");
            records.Add(MatchRecord.From(i, source, $"{i}", new PersonFacts { GivenName = $"G{i}", Surname = surname }, s_today));
        }
        var comparisons = new[] { Comparisons.Surname };
        var side = records.Select(r => r.Source == "a.csv" ? 0 : 1).ToArray();

        var across = BaseRates.RandomPairU(records, comparisons, randomPairs, seed: 1, side);
        var everyPair = BaseRates.RandomPairU(records, comparisons, randomPairs, seed: 1);

        Assert.That(across[0][^1], Is.LessThan(0.001), "no pair across the files shares a surname");
        Assert.That(everyPair[0][^1], Is.GreaterThan(0.4), "within-file pairs all do");
    }

    [Test]
    public void A_link_compares_no_pair_inside_one_file_and_finds_the_people_across()
    {
        var (a, b) = Split();
        try
        {
            var records = CsvLinkage.Read([a, b], LinkageSchema.Load(Path.Combine(Repository.Root, "samples", "schemas", "febrl-no-id.json")), s_today);
            var result = Linkage.Run(records, new MatchSettings { AcrossSourcesOnly = true });

            Assert.That(result.Candidates.Where(p => records[p.A].Source == records[p.B].Source), Is.Empty, "no within-file pair is compared");
            var predicted = records.ToDictionary(r => r.Key, r => records[result.ClusterOf[r.Index]].Key);
            var truth = records.ToDictionary(r => r.Key, r => PairwiseEvaluation.FebrlEntity(r.Key)!);
            var score = PairwiseEvaluation.ScoreAcross(predicted, truth, records.ToDictionary(r => r.Key, r => r.Source));
            TestContext.Out.WriteLine($"link: precision {score.Precision:0.0000} recall {score.Recall:0.0000} F1 {score.F1:0.0000}, {result.Candidates.Count} pairs");
            Assert.That(score.TruePairs, Is.EqualTo(500));
            Assert.That(score.F1, Is.GreaterThanOrEqualTo(0.995));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(a)!, recursive: true);
        }
    }

    [Test]
    public void One_to_one_gives_each_record_at_most_one_match_across_and_keeps_the_link_as_good()
    {
        var (a, b) = Split();
        try
        {
            var records = CsvLinkage.Read([a, b], LinkageSchema.Load(Path.Combine(Repository.Root, "samples", "schemas", "febrl-no-id.json")), s_today);
            var result = Linkage.Run(records, new MatchSettings { AcrossSourcesOnly = true, OneToOne = true });

            Assert.That(records.GroupBy(r => result.ClusterOf[r.Index]).Where(c => c.GroupBy(r => r.Source).Any(s => s.Count() > 1)), Is.Empty,
                "no cluster holds two records of one file");
            var predicted = records.ToDictionary(r => r.Key, r => records[result.ClusterOf[r.Index]].Key);
            var truth = records.ToDictionary(r => r.Key, r => PairwiseEvaluation.FebrlEntity(r.Key)!);
            var score = PairwiseEvaluation.ScoreAcross(predicted, truth, records.ToDictionary(r => r.Key, r => r.Source));
            TestContext.Out.WriteLine($"one-to-one link: precision {score.Precision:0.0000} recall {score.Recall:0.0000} F1 {score.F1:0.0000}");
            Assert.That(score.F1, Is.GreaterThanOrEqualTo(0.995));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(a)!, recursive: true);
        }
    }

    /// <summary>
    /// FEBRL dataset2's originals against the first duplicate of each, linked without the id: 4,000 records and 428
    /// people found twice. EM over the names and birth date alone makes the birth date perfect (a pair differing in it is
    /// no match), and 27 of the true pairs differ in it; the locations' vote measures 3.4 % differing, so do the
    /// sessions, and the vote is kept. Dropped, the ten pairs whose only fault is the birth date stay apart.
    /// </summary>
    [Test]
    public void A_vote_the_sessions_confirm_is_kept_and_a_birth_date_slip_links()
    {
        var (a, b) = Split("febrl/dataset2.csv", firstDuplicatesOnly: true);
        try
        {
            var records = CsvLinkage.Read([a, b], LinkageSchema.Load(Path.Combine(Repository.Root, "samples", "schemas", "febrl-no-id.json")), s_today);
            var result = Linkage.Run(records, new MatchSettings { AcrossSourcesOnly = true });

            var predicted = records.ToDictionary(r => r.Key, r => records[result.ClusterOf[r.Index]].Key);
            var truth = records.ToDictionary(r => r.Key, r => PairwiseEvaluation.FebrlEntity(r.Key)!);
            var score = PairwiseEvaluation.ScoreAcross(predicted, truth, records.ToDictionary(r => r.Key, r => r.Source));
            TestContext.Out.WriteLine($"link: precision {score.Precision:0.0000} recall {score.Recall:0.0000} F1 {score.F1:0.0000}; "
                + string.Join("; ", result.Model.Sanity.Notes ?? []));
            Assert.That(result.Model.Sanity.Verdict, Is.EqualTo(ModelSanity.Sound));
            Assert.That(result.Model.LocationVoteDropped, Is.False);
            Assert.That(result.Model.Sanity.Notes, Has.Some.Contains("the locations' vote kept"));
            Assert.That(score.Precision, Is.GreaterThanOrEqualTo(0.999));
            Assert.That(score.Recall, Is.GreaterThanOrEqualTo(0.985), "before the vote was kept: 0.9720");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(a)!, recursive: true);
        }
    }

    /// <summary>
    /// The two commands end to end on a link that also dedupes within each file: FEBRL dataset2's duplicates file holds
    /// several copies of one person. Evaluate's blocking recall counts the compared pairs across the files only, as its
    /// true pairs do (it once counted the copies' pairs inside the file too: 1.90).
    /// </summary>
    [Test]
    public void Evaluate_counts_a_links_compared_pairs_across_the_files_only()
    {
        var (a, b) = Split("febrl/dataset2.csv");
        var clusters = Path.Combine(Path.GetDirectoryName(a)!, "clusters.csv");
        try
        {
            PaduCommand.Run("match-csv", "--input", a, "--input", b, "--dedupe-within", "--schema",
                Path.Combine(Repository.Root, "samples", "schemas", "febrl-no-id.json"), "--out", clusters);
            var line = PaduCommand.Run("evaluate", "--clusters", clusters, "--truth", "febrl").Split('\n').Single(l => l.StartsWith("precision=", StringComparison.Ordinal));
            var figures = line.Split(' ').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1]);

            Assert.That(double.Parse(figures["f1"], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(0.995));
            Assert.That(figures["blocking_recall"], Is.EqualTo("1.0000"), line);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(a)!, recursive: true);
        }
    }

    /// <summary>
    /// Agencies send an extract each: three files are a link as two are. FEBRL dataset1's originals in two files by
    /// their number, the duplicates in a third.
    /// </summary>
    [Test]
    public void Three_files_are_linked_across_all_of_them_and_compared_only_across()
    {
        var (originals, duplicates) = Split();
        var folder = Path.GetDirectoryName(originals)!;
        try
        {
            var lines = File.ReadAllLines(originals);
            var (even, odd) = (Path.Combine(folder, "even.csv"), Path.Combine(folder, "odd.csv"));
            File.WriteAllLines(even, [lines[0], .. lines.Skip(1).Where(l => int.Parse(PairwiseEvaluation.FebrlEntity(l.Split(',')[0])!) % 2 == 0)]);
            File.WriteAllLines(odd, [lines[0], .. lines.Skip(1).Where(l => int.Parse(PairwiseEvaluation.FebrlEntity(l.Split(',')[0])!) % 2 == 1)]);
            var clusters = Path.Combine(folder, "clusters.csv");

            PaduCommand.Run("match-csv", "--input", even, "--input", odd, "--input", duplicates, "--schema",
                Path.Combine(Repository.Root, "samples", "schemas", "febrl-no-id.json"), "--out", clusters);
            var line = PaduCommand.Run("evaluate", "--clusters", clusters, "--truth", "febrl").Split('\n').Single(l => l.StartsWith("precision=", StringComparison.Ordinal));
            var figures = line.Split(' ').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1]);
            var fileOf = File.ReadLines(clusters).Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[1], f => f[0]);
            var withinOneFile = File.ReadLines(Path.ChangeExtension(clusters, ".pairs.csv")).Skip(1).Select(l => l.Split(','))
                .Count(f => fileOf[f[0]] == fileOf[f[1]]);

            Assert.That(fileOf.Values.Distinct().Order(), Is.EqualTo(new[] { "duplicates.csv", "even.csv", "odd.csv" }));
            Assert.That(withinOneFile, Is.Zero, "no pair inside one file is compared");
            Assert.That(double.Parse(figures["f1"], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(0.995), line);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void Two_inputs_of_one_file_name_are_refused_by_name()
    {
        // The clusters name each record by its file's name: two of one name would read as one source.
        var (a, b) = Split();
        var folder = Path.GetDirectoryName(a)!;
        try
        {
            var elsewhere = Directory.CreateDirectory(Path.Combine(folder, "elsewhere")).FullName;
            File.Copy(b, Path.Combine(elsewhere, "originals.csv"));

            var error = PaduCommand.Refused("match-csv", "--input", a, "--input", Path.Combine(elsewhere, "originals.csv"), "--schema",
                Path.Combine(Repository.Root, "samples", "schemas", "febrl-no-id.json"), "--out", Path.Combine(folder, "clusters.csv"));

            Assert.That(error, Does.Contain("two inputs are named originals.csv"));
            Assert.That(Path.Combine(folder, "clusters.csv"), Does.Not.Exist, "nothing is written");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void Scoring_a_link_counts_only_pairs_across_the_files()
    {
        // x1 and x2 sit in one file and are one person; the link is only asked about y, in the other.
        var predicted = new Dictionary<string, string> { ["x1"] = "c", ["x2"] = "c", ["y"] = "c" };
        var truth = new Dictionary<string, string> { ["x1"] = "p", ["x2"] = "p", ["y"] = "q" };
        var source = new Dictionary<string, string> { ["x1"] = "a.csv", ["x2"] = "a.csv", ["y"] = "b.csv" };

        var across = PairwiseEvaluation.ScoreAcross(predicted, truth, source);

        Assert.That((across.TruePairs, across.PredictedPairs, across.CorrectPairs), Is.EqualTo((0L, 2L, 0L)));
        Assert.That(PairwiseEvaluation.Score(predicted, truth).CorrectPairs, Is.EqualTo(1), "dedupe scoring counts the pair inside a.csv");
    }
}
