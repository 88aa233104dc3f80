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

    /// <summary>
    /// The bit-parallel Jaro-Winkler must be the scanning one exactly, bit for bit, since the weights a model learns and
    /// every threshold follow from it: on names with typos, swaps and repeated letters, at the 64-character edge of a
    /// word's bits and past it, and with characters past ASCII (which go to the scan).
    /// </summary>
    [Test]
    public void Jaro_winkler_in_bits_is_the_scanning_one_exactly()
    {
        var random = new Random(7);
        var words = new[] { "MUHAMMAD", "NUR", "AISYAH", "BINTI", "ABDULLAH", "TAN", "WEI", "MING", "A/L", "RAJA", "SITI", "LEE", "AAAA", "É" };
        string Name() => NameWithSlips(random, words);
        var pairs = Enumerable.Range(0, 20_000).Select(_ => (Name(), Name())).ToList();
        pairs.Add((new string('A', 64), new string('A', 63) + "B"));
        pairs.Add((new string('A', 63) + "B", "B" + new string('A', 63)));
        pairs.Add((new string('A', 65), new string('A', 64) + "B"));
        pairs.Add(("JOSÉ", "JOSE"));
        pairs.Add(("X", "Y"));
        foreach (var (x, y) in pairs)
        {
            var (shorter, longer) = x.Length <= y.Length ? (x, y) : (y, x);
            var expected = x == y ? 1 : Similarity.JaroWinklerByScan(shorter, longer);
            Assert.That(Similarity.JaroWinkler(x, y), Is.EqualTo(expected), $"{x} / {y}");
            Assert.That(Similarity.JaroWinkler(y, x), Is.EqualTo(expected), $"{y} / {x}");
        }
    }

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

    /// <summary>One to six of the words, with up to two slips: neighbours swapped or a letter changed.</summary>
    internal static string NameWithSlips(Random random, string[] words)
    {
        var parts = Enumerable.Range(0, random.Next(1, 7)).Select(_ => words[random.Next(words.Length)]);
        var name = string.Join(' ', parts).ToCharArray();
        for (var k = random.Next(3); k > 0 && name.Length > 1; k--)
        {
            var at = random.Next(name.Length - 1);
            (name[at], name[at + 1]) = random.Next(2) == 0 ? (name[at + 1], name[at]) : ((char)('A' + random.Next(26)), name[at + 1]);
        }
        return new string(name);
    }

    [TestCase("1988-05-12", "19880512")]
    [TestCase("1988/05/12", "19880512")]
    [TestCase("1988.05.12", "19880512")]
    [TestCase("1988 05-12", "19880512")]
    [TestCase("1988-5-12", "19880512")]
    [TestCase(" 1988-05-12 ", "19880512")]
    [TestCase("1988-39-12", "19883912")]
    [TestCase("1988:05:12", null)]
    [TestCase("12/5/1988", "19880512")]
    [TestCase("19880512", "19880512")]
    [TestCase("12051988", "19880512")]
    [TestCase("19883912", "19883912")]
    [TestCase("20011990", "19900120")]
    [TestCase("19121990", "19901219")]
    [TestCase("20101112", "20101112")]
    [TestCase("20053312", "20053312")]
    [TestCase("1988-05-12 00:00:00", "19880512")]
    [TestCase("1988-05-12T00:00:00.000Z", "19880512")]
    [TestCase("12/05/1988 12:00:00 AM", "19880512")]
    [TestCase("12-MAY-1988", "19880512")]
    [TestCase("12 Mei 1988", "19880512")]
    [TestCase("12-OGOS-88", "19880812")]
    [TestCase("May 12, 1988", "19880512")]
    [TestCase("12/05/88", "19880512")]
    [TestCase("05/25/1988", "19880525")]
    [TestCase("12-XYZ-1988", null)]
    [TestCase("1900-01-01", null)]
    [TestCase("0001-01-01 00:00:00", null)]
    [TestCase("1900-01-02", "19000102")]
    [TestCase("1899-12-30", null)]
    [TestCase("1753-01-01", null)]
    [TestCase("1630-08-01", "16300801")]
    [TestCase("0000-00-00", null)]
    [TestCase("12/05", null)]
    [TestCase("not a date", null)]
    public void Dates_become_eight_digits_whatever_the_order(string raw, string? expected) =>
        Assert.That(Dates.ToDigits(raw), Is.EqualTo(expected));
}
