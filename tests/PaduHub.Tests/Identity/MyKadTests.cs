using PaduHub.Identity;

namespace PaduHub.Tests.Identity;

public sealed class MyKadTests
{
    static readonly DateOnly s_today = new(2026, 11, 26);

    [TestCase("850312-14-5573", "1985-03-12", "14", true)]
    [TestCase("850312145574", "1985-03-12", "14", false)]
    [TestCase("250101 10 0002", "2025-01-01", "10", false)]
    [TestCase("300101-71-0001", "1930-01-01", "71", true)]
    public void Well_formed_numbers_give_date_of_birth_place_and_sex(string raw, string dob, string place, bool male)
    {
        var facts = MyKad.Parse(raw, s_today, out var reason);

        Assert.That(reason, Is.Null);
        Assert.That(facts!.Value.DateOfBirth, Is.EqualTo(DateOnly.Parse(dob, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(facts.Value.PlaceOfBirthCode, Is.EqualTo(place));
        Assert.That(facts.Value.IsMale, Is.EqualTo(male));
    }

    [TestCase("000000000000", "placeholder")]
    [TestCase("999999999999", "placeholder")]
    [TestCase("851312145573", "real date of birth")]
    [TestCase("850230145573", "real date of birth")]
    [TestCase("850312205573", "place-of-birth code 20")]
    [TestCase("85031214557", "has 11 digits")]
    [TestCase("8503121455A3", "characters other than digits")]
    [TestCase("", "has 0 digits")]
    public void Malformed_numbers_say_why(string raw, string because)
    {
        Assert.That(MyKad.Parse(raw, s_today, out var reason), Is.Null);
        Assert.That(reason, Does.Contain(because));
    }

    [Test]
    public void Composed_numbers_are_valid_and_carry_the_sex_in_the_last_digit()
    {
        var dob = new DateOnly(1990, 7, 4);
        for (var serial = 0; serial < 10_000; serial += 7)
        {
            var man = MyKad.Compose(dob, 14, serial, isMale: true);
            var woman = MyKad.Compose(dob, 14, serial, isMale: false);
            Assert.That(MyKad.Parse(man, s_today, out _)!.Value.IsMale, Is.True, man);
            Assert.That(MyKad.Parse(woman, s_today, out _)!.Value.IsMale, Is.False, woman);
        }
    }

    [Test]
    public void Masking_keeps_only_the_ends()
    {
        Assert.That(MyKad.Mask("850312145573"), Is.EqualTo("85********73"));
        Assert.That(MyKad.Mask(null), Is.EqualTo("(none)"));
        Assert.That(MyKad.Format("850312145573"), Is.EqualTo("850312-14-5573"));
    }
}
