using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>
/// EM fits u among the candidates, one field at a time; blocking chose the candidates for agreeing on something, so a
/// stranger among them agrees on a given name or a surname often and on both at once seldom. No pattern can be commoner
/// among the candidate strangers than among all strangers (the random pairs' u multiplied) over the share of strangers
/// blocking made candidates (MatchModel.CandidateShareOfStrangers); where the candidates' u multiplied says it is, the
/// pair gets the difference.
/// </summary>
public sealed class AgreeingTogetherTests
{
    static readonly Comparison[] s_comparisons = [Comparisons.GivenName, Comparisons.Surname, Comparisons.City];

    static MatchModel Model(double share) => new()
    {
        Comparisons = s_comparisons,
        Parameters =
        [
            Parameters(Comparisons.GivenName, [0.05, 0.1, 0.15, 0.7], [0.6, 0.1, 0.1, 0.2], [0.985, 0.005, 0.005, 0.005]),
            Parameters(Comparisons.Surname, [0.05, 0.1, 0.15, 0.7], [0.6, 0.1, 0.1, 0.2], [0.985, 0.005, 0.005, 0.005]),
            Parameters(Comparisons.City, [0.2, 0.1, 0.7], [0.8, 0.05, 0.15], [0.9, 0.05, 0.05]),
        ],
        Lambda = 0.2,
        TotalRecords = 1_000,
        CandidateShareOfStrangers = share,
    };

    static ComparisonParameters Parameters(Comparison comparison, double[] m, double[] u, double[] random) => new()
    {
        Name = comparison.Name,
        Levels = comparison.Levels,
        M = m,
        U = u,
        URandom = random,
    };

    static readonly MatchRecord s_record = MatchRecord.From(0, "test", "0", new PersonFacts { GivenName = "Robert", Surname = "Allen" }, new DateOnly(2026, 12, 7));

    static double Weight(MatchModel model, params sbyte[] levels) => model.Weight(LevelPatterns.Pack(levels), s_record);

    [Test]
    public void Both_names_exact_weigh_what_all_strangers_say_over_the_share_blocking_made_candidates()
    {
        var (bounded, plain) = (Model(0.01), Model(0));

        // Candidates: 0.2 x 0.2 of strangers agree on both; all strangers 0.005 x 0.005, over 0.01 of them made candidates:
        // 0.0025, sixteen times rarer.
        Assert.That(Weight(bounded, 3, 3, -1) - Weight(plain, 3, 3, -1), Is.EqualTo(4).Within(1e-9));
        Assert.That(Weight(bounded, 3, 3, 2) - Weight(plain, 3, 3, 2), Is.EqualTo(4).Within(1e-9), "a town is no identity field: it adds nothing to the bound");
        Assert.That(Weight(bounded, 3, 0, -1), Is.EqualTo(Weight(plain, 3, 0, -1)), "one name alone is as common among candidates as the candidates say");
        Assert.That(Weight(bounded, 0, 0, 2), Is.EqualTo(Weight(plain, 0, 0, 2)));
    }

    [Test]
    public void The_explanation_names_what_agreeing_together_earned_and_the_model_keeps_its_share()
    {
        var model = Model(0.01);
        var score = model.Score(LevelPatterns.Pack([3, 3, -1]), s_record, s_record);

        Assert.That(score.Weight, Is.EqualTo(Weight(model, 3, 3, -1)).Within(1e-9), "the explanation and the weight agree");
        Assert.That(score.Fields.Sum(f => f.Weight) + model.PriorWeight, Is.EqualTo(score.Weight).Within(0.01));
        Assert.That(score.Fields.Single(f => f.Field == MatchModel.AgreeingTogetherField).Weight, Is.EqualTo(4).Within(1e-3));
        Assert.That(StoredModel.Parse(StoredModel.ToJson(model)).CandidateShareOfStrangers, Is.EqualTo(0.01), "stored with the model");
    }

    [Test]
    public void With_a_birth_date_the_larger_of_the_bound_and_the_name_and_birth_bonus_counts_not_both()
    {
        Comparison[] comparisons = [Comparisons.GivenName, Comparisons.Surname, Comparisons.DateOfBirth];
        MatchModel With(double share, double nameAndBirthBits) => new()
        {
            Comparisons = comparisons,
            Parameters =
            [
                Parameters(Comparisons.GivenName, [0.05, 0.1, 0.15, 0.7], [0.6, 0.1, 0.1, 0.2], [0.985, 0.005, 0.005, 0.005]),
                Parameters(Comparisons.Surname, [0.05, 0.1, 0.15, 0.7], [0.6, 0.1, 0.1, 0.2], [0.985, 0.005, 0.005, 0.005]),
                Parameters(Comparisons.DateOfBirth, [0.3, 0.02, 0.05, 0.01, 0.62], [0.9, 0.04, 0.03, 0.001, 0.029], [0.97, 0.02, 0.009, 0.0005, 0.0005]),
            ],
            Lambda = 0.2,
            TotalRecords = 1_000,
            CandidateShareOfStrangers = share,
            NameAndBirthBits = nameAndBirthBits,
        };
        sbyte[] allExact = [3, 3, 4];
        var plain = Weight(With(0, 0), allExact);
        var bound = Weight(With(0.01, 0), allExact) - plain;

        Assert.That(bound, Is.GreaterThan(4), "a birth date exact too is rarer still among candidate strangers");
        Assert.That(Weight(With(0.01, 2), allExact) - plain, Is.EqualTo(bound).Within(1e-9), "a smaller name-and-birth bonus adds nothing to the bound");
        Assert.That(Weight(With(0.01, bound + 3), allExact) - plain, Is.EqualTo(bound + 3).Within(1e-9), "a larger one counts instead of it");
    }

    [Test]
    public void EMs_fit_carries_the_share_and_a_fallback_with_u_from_random_pairs_does_not()
    {
        var fake = Datasets.File("splink/fake_1000.csv");
        var records = CsvLinkage.Read([fake], LinkageSchema.Load(Path.Combine(Repository.Root, "samples", "schemas", "splink-fake-1000.json")), new DateOnly(2026, 12, 7));
        var em = Linkage.Run(records, new MatchSettings()).Model;
        var rl = Datasets.File("rldata/RLdata500.csv");
        var rlRecords = CsvLinkage.Read([rl], LinkageSchema.Load(Path.Combine(Repository.Root, "samples", "schemas", "rldata500.json")), new DateOnly(2026, 12, 7));
        var fallback = Linkage.Run(rlRecords, new MatchSettings()).Model;

        Assert.That(em.Sanity.Verdict, Is.EqualTo(ModelSanity.Sound));
        Assert.That(em.CandidateShareOfStrangers, Is.GreaterThan(0).And.LessThan(0.1), "a few strangers in a hundred are candidates");
        Assert.That(fallback.Sanity.Verdict, Does.StartWith("fell back"));
        Assert.That(fallback.CandidateShareOfStrangers, Is.Zero);
    }
}
