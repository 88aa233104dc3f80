using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>
/// The issue's accuracy targets on the public datasets, with the default settings for every one of them (nothing is
/// tuned per dataset). The benchmark prints the same figures with timings.
/// </summary>
public sealed class DatasetAccuracyTests
{
    static readonly DateOnly s_today = new(2026, 11, 27);

    static PairwiseScore Match(string dataset, string schema, string idColumn, Func<string, string> entityOf, string? truthColumn = null)
    {
        var file = Datasets.File(dataset);
        var records = CsvLinkage.Read([file], LinkageSchema.Load(Path.Combine(Repository.Root, "samples", "schemas", schema)), s_today);
        var result = Linkage.Run(records, new MatchSettings());
        var predicted = records.ToDictionary(r => r.Key, r => records[result.ClusterOf[r.Index]].Key);
        Dictionary<string, string> truth;
        if (truthColumn is null)
        {
            truth = records.ToDictionary(r => r.Key, r => entityOf(r.Key));
        }
        else
        {
            var lines = File.ReadAllLines(file);
            var header = lines[0].Split(',').Select(h => h.Trim('"')).ToList();
            int id = header.IndexOf(idColumn), entity = header.IndexOf(truthColumn);
            truth = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[id], f => f[entity]);
        }
        var score = PairwiseEvaluation.Score(predicted, truth);
        TestContext.Out.WriteLine($"{dataset} ({schema}): precision {score.Precision:0.0000} recall {score.Recall:0.0000} F1 {score.F1:0.0000}, {result.Blocking.PairsCompared} pairs compared, model {result.Model.Sanity.Verdict}");
        // Whichever fit was kept, the model in use passes the checks: a fallback is there because the fit did not.
        Assert.That(ModelSanity.Problems(result.Model, result.Candidates.Count, records.Count), Is.Empty, $"{dataset}: the model in use passes its checks");
        Assert.That(result.Model.HomesShared, Is.False, $"{dataset}: its records share an address only with their own");
        return score;
    }

    [TestCase("febrl/dataset1.csv", "febrl.json", 0.999)]
    [TestCase("febrl/dataset2.csv", "febrl.json", 0.999)]
    [TestCase("febrl/dataset1.csv", "febrl-no-id.json", 0.995)]
    [TestCase("febrl/dataset2.csv", "febrl-no-id.json", 0.995)]
    public void Febrl_reaches_the_target_f1(string dataset, string schema, double target) =>
        Assert.That(Match(dataset, schema, "rec_id", id => PairwiseEvaluation.FebrlEntity(id)!).F1, Is.GreaterThanOrEqualTo(target));

    [Test]
    public void RLdata500_reaches_095()
    {
        var file = Datasets.File("rldata/RLdata500.csv");
        var identities = File.ReadLines(file).Skip(1).Select((line, i) => (Row: (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Identity: line.Split(',')[^1].Trim('"'))).ToDictionary(x => x.Row, x => x.Identity);
        Assert.That(Match("rldata/RLdata500.csv", "rldata500.json", "", row => identities[row]).F1, Is.GreaterThanOrEqualTo(0.95));
    }

    /// <summary>
    /// A third of its duplicates' birth dates are a month, a year or ten years out, with no part alike: how near they fall
    /// (the birth dates' distance) is evidence where the names are noisy too (figures in benchmarks/results/linkage-amd-epyc.md).
    /// </summary>
    [Test]
    public void Splink_fake_1000_reaches_0975() =>
        Assert.That(Match("splink/fake_1000.csv", "splink-fake-1000.json", "unique_id", _ => "", "cluster").F1, Is.GreaterThanOrEqualTo(0.975));

    /// <summary>
    /// Without the email (and then without the town), a pair agreeing on both names with its birth date a year out is
    /// what decides. Its candidates' u multiplied called both names agreeing at once common among strangers; bounded by
    /// all strangers' rate over the share blocking made candidates (AgreeingTogetherTests), F1 went from 0.79 to 0.89
    /// without the email, from 0.50 to 0.78 with names and birth dates alone.
    /// </summary>
    [TestCase(true, 0.97, 0.87)]
    [TestCase(false, 0.98, 0.75)]
    public void Splink_fake_1000_with_less_to_go_on_keeps_its_figures(bool withTown, double precision, double f1)
    {
        var rows = File.ReadAllLines(Datasets.File("splink/fake_1000.csv")).Skip(1).Select(l => l.Split(',')).ToList(); // unique_id,first_name,surname,dob,city,email,cluster
        var kept = withTown ? 5 : 4;
        var town = withTown ? """, "city": "city" """ : "";
        var score = RewrittenFile.Match([withTown ? "id,first_name,surname,dob,city" : "id,first_name,surname,dob", .. rows.Select(f => string.Join(',', f[..kept]))],
            $$"""{ "columns": { "id": "id", "first_name": "given_name", "surname": "surname", "dob": "date_of_birth"{{town}} } }""",
            rows.ToDictionary(f => f[0], f => f[6]));

        Assert.That(score.Precision, Is.GreaterThanOrEqualTo(precision));
        Assert.That(score.F1, Is.GreaterThanOrEqualTo(f1));
    }

    /// <summary>
    /// fake_1000 grown six times over: each copy's letters enciphered (a slip stays a slip, a name another name) and its
    /// birth dates moved together, so six populations with fake_1000's errors share one file. At this size EM weighs a
    /// slip of a name above the name; with the email, the sessions' people write every field as EM's class does and EM's
    /// fit is kept (decision record 15). Without it the fit falls back to prior m, and the birth dates' distance fitted on
    /// the posteriors prior m gives is what reaches the target.
    /// </summary>
    [TestCase(true, 0.975)]
    [TestCase(false, 0.92)]
    public void Splink_fake_1000_grown_six_times_over_keeps_its_f1(bool withEmail, double target)
    {
        var rows = File.ReadAllLines(Datasets.File("splink/fake_1000.csv")).Skip(1).Select(l => l.Split(',')).ToList(); // unique_id,first_name,surname,dob,city,email,cluster
        var random = new Random(5);
        var (lines, truth) = (new List<string> { "id,first_name,surname,dob,city,email" }, new Dictionary<string, string>());
        for (var copy = 0; copy < 6; copy++)
        {
            var letters = "abcdefghijklmnopqrstuvwxyz".ToCharArray();
            if (copy > 0)
            {
                random.Shuffle(letters);
            }
            string Cipher(string text) => new([.. text.Select(ch => char.IsAsciiLetterLower(ch) ? letters[ch - 'a']
                : char.IsAsciiLetterUpper(ch) ? char.ToUpperInvariant(letters[ch - 'A']) : ch)]);
            var shift = copy == 0 ? 0 : random.Next(-3000, 3000);
            foreach (var f in rows)
            {
                var dob = f[3].Length == 0 ? "" : DateOnly.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture).AddDays(shift).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                lines.Add($"{copy}-{f[0]},{Cipher(f[1])},{Cipher(f[2])},{dob},{Cipher(f[4])},{Cipher(f[5])}");
                truth[$"{copy}-{f[0]}"] = $"{copy}-{f[6]}";
            }
        }

        var email = withEmail ? "email" : "ignore";
        var score = RewrittenFile.Match(lines,
            $$"""{ "columns": { "id": "id", "first_name": "given_name", "surname": "surname", "dob": "date_of_birth", "city": "city", "email": "{{email}}" } }""", truth);

        Assert.That(score.F1, Is.GreaterThanOrEqualTo(target));
    }

    /// <summary>
    /// The same people with less to go on, as another file of them may come: the names in one column, no email. The
    /// locations' vote, kept because the sessions confirmed its disagreement, once made an exact whole name near proof
    /// there (its non-matches all but never agreeing on one), and two people called JONES became one. The birth dates'
    /// distance then raised F1 and lowered precision: EM's fit here weighs a word of the name in common far above what
    /// it is worth, and a near birth date tips such pairs over (docs/matching.md, known limits).
    /// </summary>
    [Test]
    public void Splink_fake_1000_with_its_names_in_one_column_and_no_email_keeps_its_precision()
    {
        var rows = File.ReadAllLines(Datasets.File("splink/fake_1000.csv")).Skip(1).Select(l => l.Split(',')).ToList(); // unique_id,first_name,surname,dob,city,email,cluster
        var score = RewrittenFile.Match(["id,full_name,dob,city", .. rows.Select(f => $"{f[0]},{$"{f[1]} {f[2]}".Trim()},{f[3]},{f[4]}")],
            """{ "columns": { "id": "id", "full_name": "full_name", "dob": "date_of_birth", "city": "city" } }""", rows.ToDictionary(f => f[0], f => f[6]));

        Assert.That(score.Precision, Is.GreaterThanOrEqualTo(0.88));
        Assert.That(score.F1, Is.GreaterThanOrEqualTo(0.80));
    }

    /// <summary>
    /// RLdata500 with its four name parts in one column: EM took a respelled whole name for the person (+13.6 bits) and
    /// an exact one for namesakes (+6.0), which the whole-name order check now fails, as decision record 8 does for names
    /// in parts; the fallback does what it does on the file as it comes.
    /// </summary>
    [Test]
    public void RLdata500_with_its_names_in_one_column_reaches_095()
    {
        var rows = File.ReadAllLines(Datasets.File("rldata/RLdata500.csv")).Skip(1).Select(l => l.Split(',').Select(f => f.Trim('"')).ToArray()).ToList();
        var score = RewrittenFile.Match(["id,full_name,by,bm,bd", .. rows.Select((f, i) => $"{i + 1},{string.Join(' ', f[..4].Where(x => x.Length > 0))},{f[4]},{f[5]},{f[6]}")],
            """{ "columns": { "id": "id", "full_name": "full_name", "by": "birth_year", "bm": "birth_month", "bd": "birth_day" } }""",
            rows.Select((f, i) => (Id: $"{i + 1}", Identity: f[7])).ToDictionary(x => x.Id, x => x.Identity));

        Assert.That(score.F1, Is.GreaterThanOrEqualTo(0.95));
    }

    /// <summary>
    /// FEBRL with given name and surname in one column and no id: a duplicate's misspelt given name leaves the whole
    /// names sharing only a word, which in household data is a sibling's name, so its address counted nothing and a
    /// quarter of dataset2's pairs were missed. FEBRL's records share an address only with their own, and the model
    /// measures that: by identifier and birth date, or with neither, by the whole names at one address (decision 13).
    /// </summary>
    [TestCase("febrl/dataset1.csv", true, 0.99)]
    [TestCase("febrl/dataset2.csv", true, 0.99)]
    [TestCase("febrl/dataset2.csv", false, 0.98)]
    public void Febrl_with_its_names_in_one_column_and_no_id_keeps_its_addresses(string dataset, bool withBirthDate, double target)
    {
        // rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id
        var rows = File.ReadAllLines(Datasets.File(dataset)).Skip(1).Select(l => l.Split(',').Select(f => f.Trim()).ToArray()).ToList();
        var birth = withBirthDate ? "date_of_birth" : "ignore";
        var score = RewrittenFile.Match(["id,number,street,locality,suburb,postcode,state,dob,full_name",
            .. rows.Select(f => $"{f[0]},{f[3]},{f[4]},{f[5]},{f[6]},{f[7]},{f[8]},{f[9]},{$"{f[1]} {f[2]}".Trim()}")],
            $$"""{ "columns": { "id": "id", "number": "address", "street": "address", "locality": "address", "suburb": "city", "postcode": "postcode", "state": "state", "dob": "{{birth}}", "full_name": "full_name" } }""",
            rows.ToDictionary(f => f[0], f => PairwiseEvaluation.FebrlEntity(f[0])!),
            model => Assert.That(model.HomesOwn, Is.True, "its records share an address only with their own"));

        Assert.That(score.F1, Is.GreaterThanOrEqualTo(target));
    }

    /// <summary>
    /// The same data drawn again: a random 60 % of the people (every record of each one kept), matched as a new file. A
    /// model tuned to one file would drift on its resamples; each must still pass the checks and stay near the whole.
    /// </summary>
    [TestCase("splink/fake_1000.csv", "splink-fake-1000.json", "cluster", 0.88)]
    [TestCase("rldata/RLdata500.csv", "rldata500.json", "identity", 0.90)]
    public void Resampled_people_keep_the_figures(string dataset, string schema, string entityColumn, double target)
    {
        var lines = File.ReadAllLines(Datasets.File(dataset));
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToList();
        var entity = header.IndexOf(entityColumn);
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var random = new Random(seed);
            var kept = lines.Skip(1).Select(l => l.Split(',')[entity].Trim('"')).Distinct().Where(_ => random.NextDouble() < 0.6).ToHashSet();
            var rows = lines.Skip(1).Where(l => kept.Contains(l.Split(',')[entity].Trim('"'))).ToList();
            var path = Path.Combine(Path.GetTempPath(), $"padu-resample-{seed}-{Environment.ProcessId}-{Path.GetFileName(dataset)}");
            File.WriteAllLines(path, [lines[0], .. rows]);
            try
            {
                var records = CsvLinkage.Read([path], LinkageSchema.Load(Path.Combine(Repository.Root, "samples", "schemas", schema)), s_today);
                var result = Linkage.Run(records, new MatchSettings());
                // Rows are numbered by the resampled file; a schema with an id column keys them by it instead.
                var truth = records.ToDictionary(r => r.Key, r => rows[r.Index].Split(',')[entity].Trim('"'));
                var score = PairwiseEvaluation.Score(records.ToDictionary(r => r.Key, r => records[result.ClusterOf[r.Index]].Key), truth);
                TestContext.Out.WriteLine($"{dataset} resample {seed}: {records.Count} records, F1 {score.F1:0.0000}, model {result.Model.Sanity.Verdict}");
                Assert.That(ModelSanity.Problems(result.Model, result.Candidates.Count, records.Count), Is.Empty);
                Assert.That(score.F1, Is.GreaterThanOrEqualTo(target), $"resample {seed}");
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
