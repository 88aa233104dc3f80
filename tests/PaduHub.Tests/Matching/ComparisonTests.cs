using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

public sealed class ComparisonTests
{
    static readonly DateOnly s_today = new(2026, 11, 27);

    static MatchRecord Person(int index, string? name = null, string? dob = null, string? mykad = null, string? given = null, string? surname = null,
        string? oldIc = null)
    {
        var facts = new PersonFacts { FullName = name, DateOfBirth = dob, GivenName = given, Surname = surname };
        if (mykad is not null)
        {
            facts.Identifiers.Add(new PersonIdentifier("MYKAD", mykad));
        }
        if (oldIc is not null)
        {
            facts.Identifiers.Add(new PersonIdentifier("OLD_IC", oldIc));
        }
        return MatchRecord.From(index, "test", index.ToString(System.Globalization.CultureInfo.InvariantCulture), facts, s_today);
    }

    [Test]
    public void Spelling_variants_and_titles_agree_exactly_on_the_whole_name()
    {
        var registered = Person(0, "MUHAMMAD HAFIZ BIN ABDUL RAHMAN");
        var clerk = Person(1, "Hj. Mohd Hafiz b. Abd Rahman");

        Assert.That(Comparisons.FullName.Level(registered, clerk), Is.EqualTo(3));
    }

    [Test]
    public void A_dropped_patronym_still_agrees_on_the_own_name()
    {
        Assert.That(Comparisons.FullName.Level(Person(0, "NUR AISYAH BINTI ISMAIL"), Person(1, "NUR AISYAH")), Is.EqualTo(2));
        Assert.That(Comparisons.FullName.Level(Person(0, "NUR AISYAH BINTI ISMAIL"), Person(1, "SITI AMINAH BINTI YUSOF")), Is.EqualTo(0));
    }

    [Test]
    public void Dates_of_birth_have_levels_for_the_usual_slips()
    {
        var born = Person(0, dob: "1988-05-12");
        Assert.That(Comparisons.DateOfBirth.Level(born, Person(1, dob: "1988-05-12")), Is.EqualTo(3));
        Assert.That(Comparisons.DateOfBirth.Level(born, Person(1, dob: "1988-12-05")), Is.EqualTo(2), "day and month swapped");
        Assert.That(Comparisons.DateOfBirth.Level(born, Person(1, dob: "1988-05-13")), Is.EqualTo(2), "one digit");
        Assert.That(Comparisons.DateOfBirth.Level(born, Person(1, dob: "1989-05-12")), Is.EqualTo(2), "one digit of the year");
        Assert.That(Comparisons.DateOfBirth.Level(born, Person(1, dob: "1977-01-30")), Is.EqualTo(0));
        Assert.That(Comparisons.DateOfBirth.Level(born, Person(1)), Is.EqualTo(Comparisons.Missing));
    }

    [Test]
    public void Identifiers_compare_only_with_their_own_kind_and_placeholders_are_ignored()
    {
        var jpn = Person(0, mykad: "880512-14-5566", oldIc: "A1613951");
        Assert.That(Comparisons.NationalId.Level(jpn, Person(1, mykad: "880512145566")), Is.EqualTo(2));
        Assert.That(Comparisons.NationalId.Level(jpn, Person(1, mykad: "880512145656")), Is.EqualTo(1), "transposition");
        Assert.That(Comparisons.NationalId.Level(jpn, Person(1, oldIc: "A1613951")), Is.EqualTo(2), "the old IC is in the crosswalk");
        Assert.That(Comparisons.NationalId.Level(jpn, Person(1, mykad: "000000-00-0000")), Is.EqualTo(Comparisons.Missing), "a placeholder says nothing");
    }

    [Test]
    public void A_mykad_gives_date_of_birth_and_sex_when_the_record_lacks_them()
    {
        var record = Person(0, mykad: "880512-14-5567");
        Assert.That((record.DateOfBirth, record.Sex), Is.EqualTo(("19880512", 'M')));
    }

    [Test]
    public void Given_name_and_surname_swapped_compare_crossed()
    {
        var a = Person(0, given: "lachlan", surname: "berry");
        var b = Person(1, given: "berry", surname: "lachlan");
        Assert.That((Comparisons.GivenName.Level(a, b), Comparisons.Surname.Level(a, b)), Is.EqualTo((3, 3)));
    }
}
