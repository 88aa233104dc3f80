using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

public sealed class SimilarityTests
{
    [TestCase("MARTHA", "MARHTA", 0.961)]
    [TestCase("DWAYNE", "DUANE", 0.84)]
    [TestCase("DIXON", "DICKSONX", 0.813)]
    [TestCase("ABC", "ABC", 1.0)]
    [TestCase("ABC", "XYZ", 0.0)]
    public void Jaro_winkler_gives_the_textbook_values(string a, string b, double expected) =>
        Assert.That(Similarity.JaroWinkler(a, b), Is.EqualTo(expected).Within(0.001));

    [TestCase("880512145566", "880512145567", true)]
    [TestCase("880512145566", "88051214556", true)]
    [TestCase("880512145566", "8805121455666", true)]
    [TestCase("880512145566", "880512145577", false)]
    public void One_edit_is_one_insertion_deletion_or_replacement(string a, string b, bool expected) =>
        Assert.That(Similarity.WithinOneEdit(a, b), Is.EqualTo(expected));

    [TestCase("880512145566", "880512145656", true)]
    [TestCase("880512145566", "885012145566", true)]
    [TestCase("880512145566", "880512145566", false)]
    [TestCase("880512145566", "880512146655", false)]
    public void A_transposition_is_two_neighbours_swapped(string a, string b, bool expected) =>
        Assert.That(Similarity.IsTransposition(a, b), Is.EqualTo(expected));

    [Test]
    public void Malaysian_spelling_variants_share_a_sound_key()
    {
        Assert.That(Similarity.Phonetic("SYAFIQ"), Is.EqualTo(Similarity.Phonetic("SHAFIK")));
        Assert.That(Similarity.Phonetic("KHAIRUL"), Is.EqualTo(Similarity.Phonetic("KAIRUL")));
        Assert.That(Similarity.Phonetic("TAN"), Is.Not.EqualTo(Similarity.Phonetic("LIM")));
    }

    [TestCase("1988-05-12", "19880512")]
    [TestCase("12/5/1988", "19880512")]
    [TestCase("19880512", "19880512")]
    [TestCase("12051988", "19880512")]
    [TestCase("19883912", "19883912")]
    [TestCase("not a date", null)]
    public void Dates_become_eight_digits_whatever_the_order(string raw, string? expected) =>
        Assert.That(Dates.ToDigits(raw), Is.EqualTo(expected));
}
