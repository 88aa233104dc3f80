using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>
/// Where namesakes far outnumber the people found twice, EM without labels can take "same name" for "same person": a
/// different birth date then weighs next to nothing. Holding the birth date's m at what sessions measure (ModelTraining's
/// second fit, decision record 10) leaves EM no such class.
/// </summary>
public sealed class CollapseRefitTests
{
    static readonly Comparison[] s_comparisons = [Comparisons.GivenName, Comparisons.Surname, Comparisons.FullName, Comparisons.DateOfBirth, Comparisons.NationalId, Comparisons.Sex];

    static Dictionary<ulong, long> Pairs()
    {
        var pairs = new Dictionary<ulong, long>();
        void Add(sbyte name, sbyte birth, sbyte id, sbyte sex, long count)
        {
            var (given, surname) = name == 5 ? ((sbyte)3, (sbyte)3) : name == 4 ? ((sbyte)2, (sbyte)3) : ((sbyte)0, (sbyte)0);
            var key = LevelPatterns.Pack([given, surname, name, birth, id, sex]);
            pairs[key] = pairs.GetValueOrDefault(key) + count;
        }
        Add(5, 4, 2, 1, 600);                  // one person, both ICs held
        Add(5, 4, -1, 1, 900);                 // one person, one record without an IC
        Add(4, 4, -1, 1, 100);                 // one person, the name spelled another way
        Add(5, 0, 0, 1, 2_000);                // namesakes: the same name, another birth date and IC
        Add(5, 0, -1, 1, 4_000);               // namesakes, one record without an IC
        Add(0, 4, 0, 0, 300);                  // strangers born the same day
        Add(0, 4, 0, 1, 300);
        Add(0, 0, 0, 0, 3_000);                // strangers
        Add(0, 0, 0, 1, 3_000);
        return pairs;
    }

    static ModelFit Start() => FittedTable.Of(s_comparisons,
        [
            ([0.05, 0.1, 0.05, 0.8], [0.5, 0.1, 0.1, 0.3]),
            ([0.05, 0.1, 0.05, 0.8], [0.5, 0.1, 0.1, 0.3]),
            ([0.02, 0.01, 0.02, 0.05, 0.1, 0.8], [0.4, 0.01, 0.02, 0.02, 0.05, 0.5]),
            ([0.05, 0.04, 0.03, 0.08, 0.8], [0.7, 0.1, 0.02, 0.01, 0.17]),
            ([0.1, 0.1, 0.8], [0.8, 0.05, 0.15]),
            ([0.2, 0.8], [0.5, 0.5]),
        ], 0.1);

    static readonly bool[] s_all = [.. s_comparisons.Select(_ => true)];

    [Test]
    public void Namesakes_outnumbering_people_collapse_a_free_fit_and_a_held_birth_date_undoes_it()
    {
        var free = Start();
        free.EstimateM(Pairs(), 100, s_all, s_all);
        var collapsed = free.ToModel();
        Assert.That(ModelSanity.WeakDisagreements(collapsed), Does.Contain(3), "a different birth date weighs next to nothing");
        Assert.That(collapsed.Lambda, Is.GreaterThan(0.5), "EM's class is everyone with the name");

        // What sessions measure among the people: a birth date seldom differs.
        var held = Start();
        double[] bySessions = [0.01, 0.001, 0.02, 0.001, 0.968];
        bySessions.CopyTo(held.Parameters[3].M, 0);
        held.EstimateM(Pairs(), 100, s_all, s_all, holdM: [false, false, false, true, false, false]);
        var person = held.ToModel();
        TestContext.Out.WriteLine($"lambda {collapsed.Lambda:0.000} free, {person.Lambda:0.000} held; a different IC {Math.Log2(person.Parameters[4].M[0] / person.Parameters[4].U[0]):0.0} bits");

        Assert.That(person.Parameters[3].M, Is.EqualTo(bySessions), "held");
        Assert.That(ModelSanity.WeakDisagreements(person), Is.Empty, "the IC, left free, counts against a match again");
        Assert.That(person.Lambda, Is.EqualTo(1_600.0 / Pairs().Values.Sum()).Within(0.01), "the class is the 1,600 pairs of one person");
    }

    [Test]
    public void A_field_the_people_get_wrong_as_often_is_noisy_and_one_they_seldom_do_is_a_collapse()
    {
        static MatchModel Birth(double different) => new()
        {
            Comparisons = [Comparisons.DateOfBirth],
            Parameters = [new ComparisonParameters
            {
                Name = "date_of_birth", Levels = Comparisons.DateOfBirth.Levels,
                M = [different, 0.01, 0.02, 0.001, 0.969 - different], U = [0.8, 0.1, 0.05, 0.001, 0.049], URandom = [0.8, 0.1, 0.05, 0.001, 0.049],
            }],
            Lambda = 0.05,
        };
        // Like Splink's fake_1000, where many true pairs have another birth date, whoever measures.
        var emFit = Birth(0.45);
        Assert.That(ModelSanity.WeakDisagreements(emFit), Is.EqualTo(new[] { 0 }));
        Assert.That(ModelSanity.Noisy(emFit, Birth(0.47), [0]), Is.EqualTo(new[] { 0 }));
        Assert.That(ModelSanity.Noisy(emFit, Birth(0.02), [0]), Is.Empty, "sessions' people seldom differ: EM learned a family");

        var noted = new MatchModel
        {
            Comparisons = emFit.Comparisons,
            Parameters = emFit.Parameters,
            Lambda = emFit.Lambda,
            Sanity = new ModelSanity(ModelSanity.Sound, [], null, ["date_of_birth"]),
        };
        Assert.That(ModelSanity.Problems(emFit, 10_000, 1_000), Has.Some.Contains("a different date_of_birth"));
        Assert.That(ModelSanity.Problems(noted, 10_000, 1_000), Is.Empty, "a field the model names noisy is not failed for it");
    }

    static MatchModel BirthAndSex(double birthDifferent, double sexDifferent) => new()
    {
        Comparisons = [Comparisons.DateOfBirth, Comparisons.Sex],
        Parameters =
        [
            new ComparisonParameters
            {
                Name = "date_of_birth", Levels = Comparisons.DateOfBirth.Levels,
                M = [birthDifferent, 0.01, 0.02, 0.001, 0.969 - birthDifferent], U = [0.8, 0.1, 0.05, 0.001, 0.049], URandom = [0.8, 0.1, 0.05, 0.001, 0.049],
            },
            new ComparisonParameters
            {
                Name = "sex", Levels = Comparisons.Sex.Levels, M = [sexDifferent, 1 - sexDifferent], U = [0.37, 0.63], URandom = [0.37, 0.63],
            },
        ],
        Lambda = 0.05,
    };

    [Test]
    public void A_class_whose_pairs_differ_in_sex_as_strangers_do_is_brothers_and_sisters()
    {
        // Seed 31's default population without its ICs: EM's class differed in sex in 0.305 of its pairs, -0.3 bits.
        Assert.That(ModelSanity.WeakDisagreements(BirthAndSex(0.02, 0.305)), Is.EqualTo(new[] { 1 }));
        Assert.That(ModelSanity.Problems(BirthAndSex(0.02, 0.305), 10_000, 1_000), Has.Some.Contains("a different sex"));
        Assert.That(ModelSanity.WeakDisagreements(BirthAndSex(0.02, 0.02)), Is.Empty, "one person's records seldom differ in it");
    }

    [Test]
    public void A_refit_whose_class_still_differs_from_the_sessions_people_in_another_field_is_a_family_still()
    {
        var sessions = BirthAndSex(0.045, 0.02);
        // Sex held at the sessions' measure; the birth date, left free, still differs in 0.177 of the class's pairs.
        Assert.That(ModelSanity.StillAFamily(BirthAndSex(0.177, 0.02), sessions, [1]), Has.Count.EqualTo(1).And.Some.Contains("date_of_birth"));
        Assert.That(ModelSanity.StillAFamily(BirthAndSex(0.06, 0.02), sessions, [1]), Is.Empty, "about as often as the sessions' people");
        Assert.That(ModelSanity.StillAFamily(BirthAndSex(0.03, 0.02), BirthAndSex(0.01, 0.02), [1]), Is.Empty,
            "three times as often, but a margin of two pairs in a hundred is noise, not a family");
        Assert.That(ModelSanity.StillAFamily(BirthAndSex(0.177, 0.02), sessions, [0, 1]), Is.Empty, "a held field is the sessions' own");
        Assert.That(ModelSanity.StillAFamily(BirthAndSex(0.6, 0.02), sessions, []), Has.Count.EqualTo(1), "a first fit is judged alike");
        Assert.That(ModelSanity.MayBeAFamily(BirthAndSex(0.3, 0.02)), Is.True, "a class differing in a birth date in 3 pairs of 10");
        Assert.That(ModelSanity.MayBeAFamily(BirthAndSex(0.1, 0.02)), Is.False, "one person's records, a noisy birth date");
    }

    [Test]
    public void Sex_read_only_from_names_is_compared_only_where_it_differs_and_judges_nothing()
    {
        // BIN against BINTI differs; two BINs are missing, not "same": random pairs never reach "same".
        var fromNames = new MatchModel
        {
            Comparisons = [Comparisons.Sex],
            Parameters = [new ComparisonParameters { Name = "sex", Levels = Comparisons.Sex.Levels, M = [0.995, 0.005], U = [0.99998, 0.00002], URandom = [0.99998, 0.00002] }],
            Lambda = 0.05,
        };
        Assert.That(ModelSanity.WeakDisagreements(fromNames), Is.Empty);
        Assert.That(ModelSanity.PersonalFields(fromNames), Is.Empty);
        Assert.That(ModelSanity.Problems(fromNames, 10_000, 1_000), Is.Empty, "neither its 'different' nor its 'same' says anything of the fit");
        Assert.That(ModelSanity.PersonalFields(BirthAndSex(0.02, 0.3)), Is.EqualTo(new[] { 0, 1 }), "a stated sex is personal");
    }

    static MatchModel WholeNameAndHome(double apart, bool withBirth)
    {
        ComparisonParameters Of(Comparison c, double[] m, double[] u) => new() { Name = c.Name, Levels = c.Levels, M = m, U = u, URandom = u };
        // full_name levels: different, a conversion name, overlapping words, a part more or less, spelled differently, exact.
        var name = Of(Comparisons.FullName, [apart / 4, 0.01, apart * 3 / 4, 0.05, 0.05, 0.89 - apart], [0.7, 0.01, 0.25, 0.01, 0.01, 0.02]);
        var home = Of(Comparisons.Street, [0.3, 0.05, 0.05, 0.6], [0.8, 0.1, 0.05, 0.05]);
        var birth = Of(Comparisons.DateOfBirth, [0.05, 0.01, 0.02, 0.01, 0.91], [0.8, 0.1, 0.05, 0.001, 0.049]);
        return new MatchModel
        {
            Comparisons = withBirth ? [Comparisons.FullName, Comparisons.Street, Comparisons.DateOfBirth] : [Comparisons.FullName, Comparisons.Street],
            Parameters = withBirth ? [name, home, birth] : [name, home],
            Lambda = 0.05,
        };
    }

    [Test]
    public void With_the_whole_name_the_only_personal_field_a_class_sharing_only_some_of_its_words_is_a_family()
    {
        // A population without IC and birth date: EM's class shared "BIN AHMAD" (overlapping words) in 0.4 to 0.7 of its pairs.
        Assert.That(ModelSanity.Problems(WholeNameAndHome(0.5, withBirth: false), 10_000, 1_000), Has.Some.Contains("a family, not a person"));
        Assert.That(ModelSanity.Problems(WholeNameAndHome(0.1, withBirth: false), 10_000, 1_000), Is.Empty, "one person's names agree");
        Assert.That(ModelSanity.Problems(WholeNameAndHome(0.5, withBirth: true), 10_000, 1_000), Has.None.Contains("a family, not a person"),
            "a birth date tells the person from the family (fake_1000's respelled names)");
    }
}
