using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>
/// Comparing takes shortcuts on its hot path (birth dates held as bytes, a bound that settles strangers' names before
/// Jaro-Winkler, a clan spelling told by its shape). Each must give the long way's answer exactly, or the model's
/// weights would move with them.
/// </summary>
public sealed class ShortcutsTests
{
    static MatchRecord Born(string? dob) => new() { Index = 0, Source = "test", Key = "0", DateOfBirth = dob };

    /// <summary>
    /// Every kind of slip a birth date meets (a digit changed, neighbours swapped, day and month read the other way, a part
    /// wrong, repeated digits, letters), each pair compared through the record's bytes and through its strings.
    /// </summary>
    [Test]
    public void A_birth_date_held_as_bytes_gets_the_levels_of_its_string()
    {
        var random = new Random(11);
        var dates = new List<string> { "19880808", "19881111", "20000101", "19791231", "1988O512", "19880512", "19881205", "19880521" };
        for (var n = 0; n < 400; n++)
        {
            var date = $"{random.Next(1930, 2026):0000}{random.Next(1, 13):00}{random.Next(1, 29):00}".ToCharArray();
            dates.Add(new string(date));
            var changed = (char[])date.Clone();
            changed[random.Next(8)] = (char)('0' + random.Next(10));
            dates.Add(new string(changed));
            var swapped = (char[])date.Clone();
            var at = random.Next(7);
            (swapped[at], swapped[at + 1]) = (swapped[at + 1], swapped[at]);
            dates.Add(new string(swapped));
            dates.Add(new string(date, 0, 4) + new string(date, 6, 2) + new string(date, 4, 2));
            dates.Add($"{random.Next(1930, 2026):0000}" + new string(date, 4, 4));
        }
        var compared = 0;
        foreach (var a in dates)
        {
            foreach (var b in dates.Take(300))
            {
                Assert.That(Comparisons.DateOfBirth.Level(Born(a), Born(b)), Is.EqualTo(Comparisons.DateLevel(a, b)), $"{a} / {b}");
                compared++;
            }
        }
        Assert.That(compared, Is.GreaterThan(500_000));
    }

    [TestCase("1988512")]
    [TestCase("19880512 ")]
    [TestCase("1988051É")]
    public void A_birth_date_not_of_eight_plain_characters_is_compared_as_text(string dob)
    {
        Assert.That(Born(dob).BirthDigits, Is.Zero);
        Assert.That(Comparisons.DateOfBirth.Level(Born(dob), Born(dob)), Is.EqualTo(4));
        Assert.That(Comparisons.DateOfBirth.Level(Born(dob), Born("19880512")), Is.EqualTo(Comparisons.DateLevel(dob, "19880512")));
    }

    /// <summary>
    /// The bound never turns away a pair Jaro-Winkler would pass, on names with slips and swaps, repeated letters, long
    /// names past a byte's count, and characters past ASCII; and it does settle most pairs of strangers.
    /// </summary>
    [Test]
    public void The_bound_on_jaro_winkler_never_turns_away_a_pair_that_reaches_it()
    {
        var random = new Random(5);
        var words = new[] { "MUHAMMAD", "NUR", "AISYAH", "BINTI", "BIN", "ABDULLAH", "TAN", "WEI", "MING", "A/L", "RAJA", "SITI", "LEE", "AAAA", "É", "SIVA" };
        string Name() => SimilarityTests.NameWithSlips(random, words);
        var pairs = Enumerable.Range(0, 40_000).Select(_ => (Name(), Name())).ToList();
        pairs.Add((new string('A', 300), new string('A', 299) + "B"));
        pairs.Add((new string('A', 300), "AAAA"));
        var settled = 0;
        foreach (var (x, y) in pairs)
        {
            foreach (var threshold in new[] { 0.7, 0.88, 0.92 })
            {
                var reaches = Similarity.JaroWinkler(x, y) >= threshold;
                var may = Similarity.MayReachJaroWinkler(x, Similarity.CharacterCounts(x), y, Similarity.CharacterCounts(y), threshold);
                Assert.That(may || !reaches, $"{x} / {y} at {threshold}");
                settled += threshold == 0.88 && !may ? 1 : 0;
            }
        }
        Assert.That(settled, Is.GreaterThan(pairs.Count / 3), "the bound should settle many strangers");
    }

    [Test]
    public void A_word_of_no_clan_spellings_shape_is_no_clans_spelling()
    {
        Assert.That(NameNormaliser.ClanSpellings, Has.Count.GreaterThan(100));
        foreach (var spelling in NameNormaliser.ClanSpellings)
        {
            Assert.That(NameNormaliser.MayBeClanSpelling(spelling), Is.True, spelling);
        }
        Assert.That(NameNormaliser.MayBeClanSpelling("AHMAD"), Is.False);
        Assert.That(NameAlignment.Alike("TAN", "CHEN"), Is.True);
        Assert.That(NameAlignment.Alike("NG", "WU"), Is.True);
    }
}
