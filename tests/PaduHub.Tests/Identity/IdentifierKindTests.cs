using PaduHub.Identity;
using PaduHub.Matching;

namespace PaduHub.Tests.Identity;

/// <summary>Agencies send old ICs and service numbers in their IC column; matching compares each number as what it is.</summary>
public sealed class IdentifierKindTests
{
    static readonly DateOnly s_today = new(2026, 11, 27);

    static MatchRecord Record(int index, params PersonIdentifier[] ids)
    {
        var facts = new PersonFacts { FullName = "LIM AH KOW", DateOfBirth = "1955-03-04" };
        facts.Identifiers.AddRange(ids);
        return MatchRecord.From(index, $"agency{index}", $"r{index}", facts, s_today);
    }

    [TestCase("MYKAD", "H2231985", "OLD_IC")]
    [TestCase("MYKAD", "2231985", "OLD_IC")]
    [TestCase("MYKAD", "RF123456", "POLICE")]
    [TestCase("MYKAD", "T1234567", "ARMY")]
    [TestCase("MYKAD", "550304-07-5123", "MYKAD")]
    [TestCase("OLD_IC", "550304075123", "MYKAD")]
    [TestCase("PASSPORT", "A12345678", "PASSPORT")]
    [TestCase("MYKAD", "A64703996", "PASSPORT")]
    [TestCase("MYKAD", "PU353557", "BIRTH_CERT")]
    [TestCase("MYKAD", "RF/123456", "POLICE")]
    [TestCase("MYKAD", "12345678", "OLD_IC")]
    [TestCase("MYKAD", "55030407512", "MYKAD")]
    [TestCase("MYKAD", "XK-99-ZZ", "OTHER")]
    [TestCase("NATIONAL_ID", "H2231985", "OLD_IC")]
    [TestCase("NATIONAL_ID", "550304-07-5123", "MYKAD")]
    [TestCase("NATIONAL_ID", "AB12-99", "NATIONAL_ID")]
    public void A_number_is_compared_as_the_document_its_shape_says(string sentAs, string value, string kind) =>
        Assert.That(IdentifierKinds.Of(sentAs, value), Is.EqualTo(kind));

    [Test]
    public void A_passport_in_the_ic_column_is_not_a_different_mykad()
    {
        var registration = Record(0, new PersonIdentifier("MYKAD", "890419748659"));
        var employer = Record(1, new PersonIdentifier("MYKAD", "A64703996"));
        var sameEmployer = Record(2, new PersonIdentifier("MYKAD", "A64703996"));

        Assert.That(Comparisons.NationalId.Level(registration, employer), Is.EqualTo(Comparisons.Missing), "two documents of different kinds say nothing");
        Assert.That(Comparisons.NationalId.Level(employer, sameEmployer), Is.EqualTo(Comparisons.NationalId.Exact));
    }

    [Test]
    public void A_word_typed_for_an_unknown_number_is_no_identifier()
    {
        Assert.That(Record(0, new PersonIdentifier("MYKAD", "TIADA")).Identifiers, Is.Empty);
        Assert.That(Record(1, new PersonIdentifier("MYKAD", "UNKNOWN")).Identifiers, Is.Empty);
        // A CSV's IC column (match-csv's national_id) keeps numbers of no Malaysian shape as they are, but not words.
        Assert.That(Record(2, new PersonIdentifier("NATIONAL_ID", "TIADA")).Identifiers, Is.Empty);
        Assert.That(Record(3, new PersonIdentifier("NATIONAL_ID", "X1234")).Identifiers, Has.Length.EqualTo(1));
    }

    [Test]
    public void An_old_ic_in_one_agency_s_ic_column_agrees_exactly_with_the_old_ic_the_registration_holds()
    {
        var registration = Record(0, new PersonIdentifier("MYKAD", "550304075123"), new PersonIdentifier("OLD_IC", "H2231985"));
        var tax = Record(1, new PersonIdentifier("MYKAD", "H2231985"));

        Assert.That(Comparisons.NationalId.Level(registration, tax), Is.EqualTo(Comparisons.NationalId.Exact));
        Assert.That(BlockingPasses.Identifier.Keys(registration).Intersect(BlockingPasses.Identifier.Keys(tax)), Is.Not.Empty, "and they share a block");
    }
}
