using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>
/// Training checks every fit without labels (<see cref="ModelSanity"/>): agreeing on who someone is never counts
/// against a match, disagreeing on it counts for something, closer levels weigh at least as much as looser ones, and
/// lambda expects a plausible number of matches, unless sessions measure the field as noisy. A fit that fails falls back
/// and says so.
/// </summary>
public sealed class TrainingGuardTests
{
    static readonly DateOnly s_today = new(2026, 11, 27);

    static MatchModel Model(double lambda, params (double[] M, double[] U)[] parameters) => Model(Comparisons.GivenName, lambda, parameters);

    static MatchModel Model(Comparison name, double lambda, params (double[] M, double[] U)[] parameters) => new()
    {
        Comparisons = [name, Comparisons.DateOfBirth, Comparisons.Street],
        Parameters = parameters.Select((p, i) => new ComparisonParameters
        {
            Name = $"c{i}",
            Levels = p.M.Select((_, l) => $"l{l}").ToArray(),
            M = p.M,
            U = p.U,
            URandom = p.U,
        }).ToArray(),
        Lambda = lambda,
    };

    static readonly (double[], double[]) s_name = ([0.03, 0.07, 0.06, 0.84], [0.91, 0.03, 0.02, 0.04]);
    static readonly (double[], double[]) s_birth = ([0.01, 0.001, 0.005, 0.984], [0.62, 0.001, 0.05, 0.329]);
    // An address that is no evidence at all does not matter: it is not a personal field.
    static readonly (double[], double[]) s_address = ([0.5, 0.1, 0.1, 0.3], [0.2, 0.1, 0.1, 0.6]);

    [Test]
    public void A_model_of_the_same_person_passes()
    {
        Assert.That(ModelSanity.Problems(Model(0.05, s_name, s_birth, s_address), candidatePairs: 10_000, records: 1_000), Is.Empty);
    }

    [Test]
    public void Exact_agreement_weighing_against_a_match_fails()
    {
        // The household model measured at a million records: exact birth date m 0.84, u 0.97.
        var householdBirth = (new[] { 0.159, 0.0003, 0.003, 0.837 }, new[] { 0.031, 0.00002, 0.0001, 0.969 });
        var problems = ModelSanity.Problems(Model(0.05, s_name, householdBirth, s_address), 10_000, 1_000);
        Assert.That(problems, Has.Some.Contains("an exact c1 weighs"));
    }

    [Test]
    public void An_exact_name_weighing_less_than_a_slip_fails()
    {
        // RLdata500's fit over its candidates: blocking found the pairs by their names, so among candidates an exact
        // given name is common and a one-letter slip rare, and the slip came out the stronger evidence.
        var slipName = (new[] { 0.0003, 0.0003, 0.4972, 0.5022 }, new[] { 0.6786, 0.0567, 0.0481, 0.2166 });
        var problems = ModelSanity.Problems(Model(0.006, slipName, s_birth, s_address), 4_784, 500);
        Assert.That(problems, Has.Some.Contains("a looser c0 level weighs +3.37 bits, more than an exact one (+1.21)"));
    }

    [Test]
    public void A_whole_name_whose_exact_level_is_common_among_namesakes_is_noted_not_failed()
    {
        // A population of common names (written apart from samples/, decision record 9): among the candidates an exact
        // whole name is common between strangers, a respelling rare, and the fit is otherwise sound.
        var commonNames = (new[] { 0.0101, 0.0024, 0.0087, 0.0730, 0.0465, 0.8592 }, new[] { 0.931774, 0.010304, 0.013283, 0.001848, 0.000793, 0.041999 });
        var model = Model(Comparisons.FullName, 0.0629, commonNames, s_birth, s_address);

        Assert.That(ModelSanity.Problems(model, 1_686_109, 126_160), Is.Empty);
        Assert.That(ModelSanity.OrderNotes(model), Has.Some.Contains("less than the looser"), "reported beside the verdict");
    }

    [Test]
    public void Namesakes_taken_for_one_person_fail_when_agreeing_is_rarer_among_candidates_than_by_chance()
    {
        // A written-apart population with neither IC nor birth date (t2, 44,467 records): EM put every pair sharing a
        // whole name into its match class, u 0.000001 among the candidates against 0.00029 among random pairs.
        var model = WithRandomPairs(Model(Comparisons.FullName, 0.1101, ([0.0000, 0.0005, 0.0056, 0.2970, 0.0452, 0.6516],
            [0.656767, 0.001008, 0.314159, 0.023011, 0.005054, 0.000001]), s_birth, s_address), 0.00029);

        Assert.That(ModelSanity.Problems(model, 597_543, 44_467), Has.Some.Contains("times rarer among the candidates' non-matches than among random ones"));
    }

    [Test]
    public void A_small_file_whose_random_pairs_agree_because_they_are_one_person_passes()
    {
        // 470 records of 200 people: a random pair is one person one time in two hundred, which is all the agreeing
        // random pairs there are; and ten candidate pairs' worth of chance agreement was never there to be seen.
        var model = WithRandomPairs(Model(Comparisons.FullName, 0.2, ([0.01, 0.001, 0.01, 0.03, 0.05, 0.899],
            [0.9, 0.01, 0.05, 0.02, 0.019999, 0.000001]), s_birth, s_address), 0.0045);

        Assert.That(ModelSanity.Problems(model, 3_000, 470), Is.Empty);
    }

    /// <summary>The model with its first comparison's exact level agreeing this often among random pairs.</summary>
    static MatchModel WithRandomPairs(MatchModel model, double exactAmongRandomPairs)
    {
        var p = model.Parameters[0];
        var random = (double[])p.U.Clone();
        random[^1] = exactAmongRandomPairs;
        model.Parameters[0] = new ComparisonParameters { Name = p.Name, Levels = p.Levels, M = p.M, U = p.U, URandom = random };
        return model;
    }

    [Test]
    public void A_class_of_look_alikes_fails_on_its_disagreement_and_lambda()
    {
        // "Same first name": a different name hardly counts, the exact level weighs less than a close one, and lambda
        // expects twenty matches a record.
        var lookAlike = (new[] { 0.8, 0.05, 0.1, 0.05 }, new[] { 0.9, 0.04, 0.02, 0.04 });
        var model = Model(0.6, lookAlike, s_birth, s_address);
        var problems = ModelSanity.Problems(model, 40_000, 1_000);
        Assert.That(problems, Has.Some.Contains("a different c0 weighs"));
        Assert.That(ModelSanity.OrderNotes(model), Has.Some.Contains("less than the looser"), "reported beside the verdict");
        Assert.That(problems, Has.Some.Contains("expects 24,000 matches"));
    }

    [Test]
    public void Splink_fake_1000s_birth_dates_are_measured_as_noise_not_taken_for_a_collapse()
    {
        // Many of its true pairs have another birth date: a different one honestly weighs under a bit (decision record 10).
        var records = CsvLinkage.Read([Datasets.File("splink/fake_1000.csv")], LinkageSchema.Load(Path.Combine(Repository.Root, "samples", "schemas", "splink-fake-1000.json")), s_today);
        var model = Linkage.Run(records, new MatchSettings()).Model;
        Assert.That(model.Sanity.Verdict, Is.EqualTo(ModelSanity.Sound));
        Assert.That(model.Sanity.NoisyFields, Is.EqualTo(new[] { "date_of_birth" }));
        Assert.That(model.Sanity.Notes, Has.Some.Contains("a noisy field, not a family"));
        Assert.That(StoredModel.Parse(StoredModel.ToJson(model)).Sanity.NoisyFields, Is.EqualTo(new[] { "date_of_birth" }), "stored with the model");
    }

    [Test]
    public void A_different_email_is_contact_not_identity_and_never_keeps_a_persons_records_apart_alone()
    {
        // EM saw fake_1000's matches nearly always share an email and made a different one all but impossible among them.
        var records = CsvLinkage.Read([Datasets.File("splink/fake_1000.csv")], LinkageSchema.Load(Path.Combine(Repository.Root, "samples", "schemas", "splink-fake-1000.json")), s_today);
        var settings = new MatchSettings();
        var email = Linkage.Run(records, settings).Model.Parameters.Single(p => p.Name == "email");

        Assert.That(email.M[0], Is.GreaterThanOrEqualTo(0.01).Within(1e-12), "at least one pair in a hundred of one person's may carry another email");
        Assert.That(email.M.Sum(), Is.EqualTo(1).Within(1e-9));
        Assert.That(Math.Log2(email.M[0] / email.U[0]), Is.GreaterThan(settings.CrossFloorWeight), "not a veto on its own");
    }

    [TestCase("febrl/dataset1.csv", "febrl-no-id.json")]
    [TestCase("febrl/dataset1.csv", "febrl.json")]
    [TestCase("febrl/dataset2.csv", "febrl-no-id.json")]
    [TestCase("febrl/dataset2.csv", "febrl.json")]
    [TestCase("splink/fake_1000.csv", "splink-fake-1000.json")]
    [TestCase("rldata/RLdata500.csv", "rldata500.json")]
    public void Every_trained_model_passes_its_checks_or_says_it_fell_back(string dataset, string schema)
    {
        var records = CsvLinkage.Read([Datasets.File(dataset)], LinkageSchema.Load(Path.Combine(Repository.Root, "samples", "schemas", schema)), s_today);
        var model = Linkage.Run(records, new MatchSettings()).Model;
        var pairs = Linkage.Run(records, new MatchSettings(), model).Candidates.Count;
        var problems = ModelSanity.Problems(model, pairs, records.Count);
        if (model.Sanity.FellBack)
        {
            Assert.That(model.Sanity.Verdict, Is.AnyOf(ModelSanity.FellBackToSessions, ModelSanity.FellBackToPriors));
            Assert.That(model.Sanity.Reasons, Is.Not.Empty, "a fallback says why");
        }
        else
        {
            Assert.That(problems, Is.Empty);
        }
        // Whatever happened, the model in use never counts an exact personal agreement against a match.
        Assert.That(problems.Where(p => p.StartsWith("an exact", StringComparison.Ordinal)), Is.Empty);
    }
}
