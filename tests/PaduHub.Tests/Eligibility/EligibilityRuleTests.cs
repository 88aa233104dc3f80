using PaduHub.Eligibility;

namespace PaduHub.Tests.Eligibility;

/// <summary>The shipped programme files against households and people worked out by hand.</summary>
public sealed class EligibilityRuleTests
{
    static readonly Programmes s_programmes = Programmes.Load();
    static readonly DateTime s_now = new(2026, 11, 27, 0, 0, 0, DateTimeKind.Utc);

    static Facts Household(decimal income, int size, bool spouse, int children, decimal headAge, bool citizen = true)
    {
        var facts = new Facts();
        facts.Set("household.monthly_income", new Fact(income, "KWSP", s_now, Income: true));
        facts.Set("household.size", new Fact((decimal)size, "household formation", s_now));
        facts.Set("household.has_spouse", new Fact(spouse, "household formation", s_now));
        facts.Set("household.children", new Fact((decimal)children, "JPN", s_now));
        facts.Set("head.age", new Fact(headAge, "JPN", s_now));
        facts.Set("head.citizen", new Fact(citizen, "JPN", s_now));
        return facts;
    }

    // A married couple with two children on RM2,400: the lowest household tier.
    [TestCase(2400, 4, true, 2, 40, "eligible", "household, income up to RM2,500", 2100)]
    // The same family on RM2,501: one ringgit over, the second tier.
    [TestCase(2501, 4, true, 2, 40, "eligible", "household, income RM2,501 to RM5,000", 1000)]
    // A single mother with one child on RM3,000: a household through the single-parent rule.
    [TestCase(3000, 2, false, 1, 35, "eligible", "household, income RM2,501 to RM5,000", 1000)]
    // A widow of 67 living alone on RM1,200: the senior tier (a single of 67 is past the single tier's 59).
    [TestCase(1200, 1, false, 0, 67, "eligible", "senior without a spouse", 600)]
    // A single of 30 on RM2,600: over the single tier's RM2,500.
    [TestCase(2600, 1, false, 0, 30, "not_eligible", null, null)]
    // A married couple on RM5,001.
    [TestCase(5001, 2, true, 0, 45, "not_eligible", null, null)]
    public void Str_2025_by_household(decimal income, int size, bool spouse, int children, decimal headAge, string decision, string? tier, double? amount)
    {
        var answer = EligibilityCheck.Evaluate(s_programmes.Find("STR2025")!, Household(income, size, spouse, children, headAge), s_now);

        Assert.That((answer.Decision, answer.Tier, answer.Amount), Is.EqualTo((decision, tier, (decimal?)amount)));
        Assert.That(answer.Rules.Select(r => r.Rule), Does.Contain("citizen_head").And.Contain("income_2500"), "every rule is reported, met or not");
    }

    [Test]
    public void A_non_citizen_head_fails_the_requirement_whatever_the_income()
    {
        var answer = EligibilityCheck.Evaluate(s_programmes.Find("STR2025")!, Household(1000, 3, true, 1, 40, citizen: false), s_now);
        Assert.That(answer.Decision, Is.EqualTo("not_eligible"));
        Assert.That(answer.Rules.First(r => r.Rule == "citizen_head").Result, Is.EqualTo("fail"));
    }

    [Test]
    public void Unknown_income_makes_the_answer_undetermined_not_a_refusal()
    {
        var facts = Household(0, 3, true, 1, 40);
        facts.Set("household.monthly_income", new Fact(null, null, null));
        var answer = EligibilityCheck.Evaluate(s_programmes.Find("STR2025")!, facts, s_now);
        Assert.That(answer.Decision, Is.EqualTo("undetermined"));
        Assert.That(answer.Rules.First(r => r.Rule == "income_2500").Result, Is.EqualTo("missing"));
    }

    static Facts Person(decimal age, decimal annual, decimal? spouseAnnual, bool citizen = true, bool alive = true, bool mykad = true)
    {
        var facts = new Facts();
        facts.Set("person.age", new Fact(age, "JPN", s_now));
        facts.Set("person.citizen", new Fact(citizen, "JPN", s_now));
        facts.Set("person.alive", new Fact(alive, "JPN", s_now));
        facts.Set("person.verified_mykad", new Fact(mykad, "JPN", s_now));
        facts.Set("person.annual_income", new Fact(annual, "LHDN", s_now, Income: true));
        if (spouseAnnual is { } s)
        {
            facts.Set("spouse.annual_income", new Fact(s, "LHDN", s_now, Income: true));
        }
        return facts;
    }

    // Own RM60,000, spouse RM90,000: both at most RM100,000.
    [TestCase(40, 60_000, 90_000, "eligible")]
    // Own RM60,000, spouse RM120,000: the spouse's income rules it out.
    [TestCase(40, 60_000, 120_000, "not_eligible")]
    // Unmarried, own RM100,000 exactly: the ceiling is inclusive and there is no spouse to check.
    [TestCase(40, 100_000, null, "eligible")]
    // Seventeen: not an adult.
    [TestCase(17, 0, null, "not_eligible")]
    public void Budi_madani_diesel_by_own_and_spouse_income(decimal age, decimal annual, double? spouse, string decision) =>
        Assert.That(EligibilityCheck.Evaluate(s_programmes.Find("BUDI_MADANI")!, Person(age, annual, (decimal?)spouse), s_now).Decision, Is.EqualTo(decision));

    [TestCase(16, true, true, "eligible")]
    [TestCase(15, true, true, "not_eligible")]
    [TestCase(30, false, true, "not_eligible")]
    [TestCase(30, true, false, "not_eligible")]
    public void Budi95_for_citizens_of_16_and_over_with_a_registered_mykad(decimal age, bool citizen, bool mykad, string decision)
    {
        var answer = EligibilityCheck.Evaluate(s_programmes.Find("BUDI95")!, Person(age, 0, null, citizen, mykad: mykad), s_now);
        Assert.That(answer.Decision, Is.EqualTo(decision));
        Assert.That(answer.Amount, Is.EqualTo(decision == "eligible" ? 300m : null));
    }

    [Test]
    public void Income_values_are_withheld_from_a_client_not_entitled_to_them()
    {
        var answer = EligibilityCheck.Evaluate(s_programmes.Find("BUDI_MADANI")!, Person(40, 60_000, 90_000), s_now).WithoutIncome();
        Assert.That(answer.Rules.First(r => r.Rule == "own_income").Value, Is.EqualTo("withheld"));
        Assert.That(answer.Rules.First(r => r.Rule == "own_income").Result, Is.EqualTo("pass"), "the outcome is still given");
        Assert.That(answer.Rules.First(r => r.Rule == "adult").Value, Is.EqualTo(40m));
    }

    [TestCase("""{"code":"X1","subject":"nation","tiers":[{"name":"a","all":[]}]}""", "subject must be person or household")]
    [TestCase("""{"code":"X1","subject":"person","tiers":[]}""", "at least one tier")]
    [TestCase("""{"code":"X1","subject":"person","tiers":[{"name":"a","all":[{"fact":"person.shoe_size","op":"<","value":3}]}]}""", "tiers[0].all[0]: unknown fact 'person.shoe_size'")]
    [TestCase("""{"code":"X1","subject":"person","tiers":[{"name":"a","all":[{"fact":"person.age","op":"~","value":3}]}]}""", "op must be one of")]
    [TestCase("""{"code":"X1","subject":"person","requires":[{"fact":"person.age","op":">="}],"tiers":[{"name":"a"}]}""", "requires[0]: a value to compare")]
    [TestCase("""{"code":"X1","subject":"person","tirs":[]}""", "not a valid programme")]
    public void A_programme_file_with_a_mistake_is_refused_naming_the_file_and_place(string json, string expected) =>
        Assert.That(() => Programme.Parse(json, "bad.programme.json"),
            Throws.TypeOf<ProgrammeException>().With.Message.StartsWith("bad.programme.json: ").And.Message.Contains(expected));

    [TestCase("{\"fact\": \"person.alive\", \"op\": \"==\", \"value\": true}", "the person is alive")]
    [TestCase("{\"fact\": \"person.alive\", \"op\": \"==\", \"value\": false}", "the person is not alive")]
    [TestCase("{\"fact\": \"household.has_spouse\", \"op\": \"!=\", \"value\": true}", "the household has no spouse")]
    [TestCase("{\"fact\": \"person.age\", \"op\": \">=\", \"value\": 16}", "the person's age is at least 16")]
    [TestCase("{\"fact\": \"household.monthly_income\", \"op\": \"<=\", \"value\": 5000}", "the household's monthly income is at most 5,000")]
    public void A_rule_without_a_description_reads_in_words(string json, string words) =>
        Assert.That(System.Text.Json.JsonSerializer.Deserialize<Condition>(json)!.Words, Is.EqualTo(words));
}
