using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>
/// Blocking must find what a generous hand-written rule would: among the true pairs that agree exactly on given name
/// and surname, surname and birth date, given name and birth date, postcode and given name, or email (the rules a
/// Splink user starts from), at least 99 % must be reachable through the candidate pairs, at no more than about 30
/// compared pairs a record. Reachable, not paired: a record identical to an earlier one is paired with that one alone
/// and clustered through it.
/// </summary>
public sealed class GenerousBlockingTests
{
    static readonly DateOnly s_today = new(2026, 11, 27);

    static readonly Func<MatchRecord, string?>[] s_generousRules =
    [
        r => r.Given is null || r.Family is null ? null : r.Given + "|" + r.Family,
        r => r.Family is null || r.DateOfBirth is null ? null : r.Family + "|" + r.DateOfBirth,
        r => r.Given is null || r.DateOfBirth is null ? null : r.Given + "|" + r.DateOfBirth,
        r => r.Postcode is null || r.Given is null ? null : r.Postcode + "|" + r.Given,
        r => r.Email,
    ];

    [TestCase("febrl/dataset1.csv", "febrl-no-id.json")]
    [TestCase("febrl/dataset2.csv", "febrl-no-id.json")]
    public void Febrl(string dataset, string schema) => Check(Datasets.File(dataset), schema, key => PairwiseEvaluation.FebrlEntity(key)!);

    [Test]
    public void Fake_1000()
    {
        var lines = File.ReadAllLines(Datasets.File("splink/fake_1000.csv"));
        var header = lines[0].Split(',').ToList();
        int id = header.IndexOf("unique_id"), cluster = header.IndexOf("cluster");
        var truth = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[id], f => f[cluster]);
        Check(Datasets.File("splink/fake_1000.csv"), "splink-fake-1000.json", key => truth[key]);
    }

    [Test]
    public void RLdata500_and_grown_to_10000()
    {
        var rows = File.ReadLines(Datasets.File("rldata/RLdata500.csv")).Skip(1).Select(l => l.Split(',')[^1].Trim('"')).ToArray();
        Check(Datasets.File("rldata/RLdata500.csv"), "rldata500.json", row => rows[int.Parse(row, System.Globalization.CultureInfo.InvariantCulture) - 1]);
        var grown = RobustTrainingTests.Grow(9_000, 1_000, seed: 11);
        try
        {
            var identities = File.ReadLines(grown).Skip(1).Select(l => l.Split(',')[7]).ToArray();
            Check(grown, "rldata500.json", row => identities[int.Parse(row, System.Globalization.CultureInfo.InvariantCulture) - 1]);
        }
        finally
        {
            File.Delete(grown);
        }
    }

    static void Check(string file, string schema, Func<string, string> entityOf)
    {
        var records = CsvLinkage.Read([file], LinkageSchema.Load(Path.Combine(Repository.Root, "samples", "schemas", schema)), s_today);
        var (candidates, _, _) = CandidateIndex.Pairs(records, new MatchSettings());
        var reach = new Reach(records.Count);
        foreach (var (a, b) in candidates.Where(c => entityOf(records[c.A].Key) == entityOf(records[c.B].Key)))
        {
            reach.Join(a, b);
        }

        var (generous, found) = (0, 0);
        foreach (var person in records.GroupBy(r => entityOf(r.Key)).Where(g => g.Count() > 1))
        {
            var members = person.ToList();
            for (var i = 0; i < members.Count; i++)
            {
                for (var j = i + 1; j < members.Count; j++)
                {
                    var (a, b) = (members[i], members[j]);
                    if (s_generousRules.Any(rule => rule(a) is { } key && key == rule(b)))
                    {
                        generous++;
                        found += reach.Of(a.Index) == reach.Of(b.Index) ? 1 : 0;
                    }
                }
            }
        }
        var recall = (double)found / generous;
        var perRecord = (double)candidates.Count / records.Count;
        TestContext.Out.WriteLine($"{Path.GetFileName(file)}: {generous} true pairs a generous rule finds, {found} reached ({recall:0.0000}); {perRecord:0.0} pairs a record");
        Assert.That(recall, Is.GreaterThanOrEqualTo(0.99));
        Assert.That(perRecord, Is.LessThanOrEqualTo(30));
    }

    /// <summary>Which records the candidate pairs of one person connect.</summary>
    sealed class Reach(int count)
    {
        readonly int[] _parent = [.. Enumerable.Range(0, count)];

        public int Of(int x)
        {
            while (_parent[x] != x)
            {
                x = _parent[x] = _parent[_parent[x]];
            }
            return x;
        }

        public void Join(int a, int b) => _parent[Of(a)] = Of(b);
    }
}
