using System.Text;
using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

public sealed class NormalisationTests
{
    [TestCase("MUHAMMAD HAFIZ BIN ABDUL RAHMAN", "MUHAMMAD HAFIZ", "BIN", "ABDUL RAHMAN")]
    [TestCase("Mohd Hafiz b. Abd Rahman", "MUHAMMAD HAFIZ", "BIN", "ABDUL RAHMAN")]
    [TestCase("DATO' SRI HJ. MOHAMAD HAFIZ BIN ABD. RAHMAN", "MUHAMMAD HAFIZ", "BIN", "ABDUL RAHMAN")]
    [TestCase("Nor Aisyah Bt. Ahmad", "NUR AISYAH", "BINTI", "AHMAD")]
    [TestCase("NOOR AISHAH BINTE AHMAD", "NUR AISYAH", "BINTI", "AHMAD")]
    [TestCase("MURUGAN A/L VELLUPILLAI", "MURUGAN", "A/L", "VELLUPILLAI")]
    [TestCase("Murugan A.L. Vellupillai", "MURUGAN", "A/L", "VELLUPILLAI")]
    [TestCase("MURUGAN S/O VELLUPILLAI", "MURUGAN", "A/L", "VELLUPILLAI")]
    [TestCase("MURUGAN AL VELLUPILLAI", "MURUGAN", "A/L", "VELLUPILLAI")]
    [TestCase("DEVI A/ P RAMASAMY", "DEVI", "A/P", "RAMASAMY")]
    [TestCase("KUMAR A / L MUNIANDY", "KUMAR", "A/L", "MUNIANDY")]
    [TestCase("PRIYA D /O RAJ", "PRIYA", "A/P", "RAJ")]
    [TestCase("WILSON ALI AK. JUGAH", "WILSON ALI", "ANAK", "JUGAH")]
    [TestCase("Ma\u2019arof bin Ismail", "MAAROF", "BIN", "ISMAIL")]
    [TestCase("  AHMAD   FAIZ  BIN ", "AHMAD FAIZ", "BIN", "")]
    [TestCase("MUHAMMAD AL-AMIN BIN YUSUF", "MUHAMMAD ALAMIN", "BIN", "YUSOF")]
    [TestCase("TUANKU ABDUL RAHMAN IBNI TUANKU MUHAMMAD", "TUANKU ABDUL RAHMAN", "BIN", "TUANKU MUHAMMAD")]
    [TestCase("AHMAD ZAINAL IBN ABD. MAJID", "AHMAD ZAINAL", "BIN", "ABDUL MAJID")]
    [TestCase("ROSLI BNI OSMAN", "ROSLI", "BIN", "OSMAN")]
    [TestCase("ZARA BITNI ABDUL WAHAB", "ZARA", "BINTI", "ABDUL WAHAB")]
    [TestCase("MARIAM BNTI DANIAL", "MARIAM", "BINTI", "DANIAL")]
    [TestCase("UKAU NAAK LIDAH", "UKAU", "ANAK", "LIDAH")]
    public void Malay_Indian_and_Sarawak_names_split_at_the_connector(string raw, string own, string connector, string father)
    {
        var name = NameNormaliser.Normalise(raw);

        Assert.That(string.Join(' ', name.Own), Is.EqualTo(own));
        Assert.That(name.Connector, Is.EqualTo(connector));
        Assert.That(string.Join(' ', name.Father), Is.EqualTo(father));
    }

    [TestCase("MOHAMOD", "MUHAMMAD", "a letter changed in MOHAMAD")]
    [TestCase("MODH", "MUHAMMAD", "MOHD's last two letters swapped")]
    [TestCase("OHAMAD", "MUHAMMAD", "MOHAMAD's first letter dropped")]
    [TestCase("MOHAAMD", "MUHAMMAD", "two letters of MOHAMAD swapped")]
    [TestCase("MOHAN", "MOHAN", "an Indian name two slips from MOHAMAD")]
    [TestCase("MAHMUD", "MAHMUD", "a name of its own")]
    [TestCase("AHMAD", "AHMAD", "a name of its own")]
    [TestCase("MOD", "MOD", "three letters: too near other words")]
    public void A_slip_in_a_spelling_of_Muhammad_still_folds(string token, string folded, string why) =>
        Assert.That(NameNormaliser.Canonical(token), Is.EqualTo(folded), why);

    [Test]
    public void Titles_are_kept_aside_not_thrown_away()
    {
        var name = NameNormaliser.Normalise("TAN SRI DR AHMAD BIN ISMAIL");

        Assert.That(name.Titles, Is.EqualTo(new[] { "TAN SRI", "DR" }));
        Assert.That(name.Full, Is.EqualTo("AHMAD ISMAIL"));
        Assert.That(NameNormaliser.Normalise("Miss Jane Austen").Full, Is.EqualTo("JANE AUSTEN"), "an English register's titles too");
        Assert.That(NameNormaliser.Normalise("Sir Isaac Newton").Titles, Is.EqualTo(new[] { "SIR" }));
    }

    [Test]
    public void Tan_is_a_surname_when_it_is_not_followed_by_sri()
    {
        var name = NameNormaliser.Normalise("TAN WEI MING");

        Assert.That(name.Titles, Is.Empty);
        Assert.That(name.Full, Is.EqualTo("TAN WEI MING"));
        Assert.That(name.SurnameClans, Is.EqualTo(new[] { "CHEN" }));
    }

    [Test]
    public void Dialect_romanisations_of_one_surname_share_a_clan()
    {
        var hokkien = NameNormaliser.Normalise("TAN MEI LING");
        var cantonese = NameNormaliser.Normalise("Mei Ling Chan");
        var other = NameNormaliser.Normalise("LIM MEI LING");

        Assert.That(hokkien.SurnameClans.Intersect(cantonese.SurnameClans), Is.Not.Empty);
        Assert.That(hokkien.SurnameClans.Intersect(other.SurnameClans), Is.Empty);
        Assert.That(NameNormaliser.Normalise("WEI MING TAN").Sorted, Is.EqualTo(NameNormaliser.Normalise("TAN WEI MING").Sorted));
    }

    [TestCase("HO YAN HUI", "HOR YAN HUI")]
    [TestCase("CHEW KAH MENG", "CHOW KAH MENG")]
    [TestCase("YAP SIEW LING", "YIP SIEW LING")]
    [TestCase("SOO BOON KEAT", "SU BOON KEAT")]
    [TestCase("PHANG WAI KIT", "PANG WAI KIT")]
    [TestCase("CHONG SZE HOCK", "CHUNG SZE HOCK")]
    [TestCase("ONG KIT YEN", "WONG KIT YEN")]
    [TestCase("NG KIT YEN", "WONG KIT YEN")]
    [TestCase("KOH KAH YONG", "KHOR KAH YONG")]
    [TestCase("KHOO BEE LAN", "KHAW BEE LAN")]
    public void Other_common_surnames_share_a_clan_across_dialects(string one, string other) =>
        Assert.That(NameNormaliser.Normalise(one).SurnameClans.Intersect(NameNormaliser.Normalise(other).SurnameClans), Is.Not.Empty);

    [TestCase("Jürgen Müller", "JURGEN MULLER")]
    [TestCase("José Muñoz", "JOSE MUNOZ")]
    [TestCase("Anna Strauß", "ANNA STRAUSS")]
    [TestCase("Søren Kierkegaard", "SOREN KIERKEGAARD")]
    [TestCase("Łukasz Żółw", "LUKASZ ZOLW")]
    public void Latin_letters_with_accents_read_as_the_letters_they_are_written_for(string raw, string folded) =>
        Assert.That(string.Join(' ', NameNormaliser.Normalise(raw).Own), Is.EqualTo(folded));

    [Test]
    public void An_address_with_accents_reads_as_one_without()
    {
        var (accented, plain) = (AddressNormaliser.Normalise("Müllerstraße 5, Göttingen"), AddressNormaliser.Normalise("MULLERSTRASSE 5, GOTTINGEN"));

        Assert.That(accented.Street, Is.EqualTo(plain.Street));
    }

    [TestCase("50000", "50000")]
    [TestCase("5000", "05000")]
    [TestCase("43000 Kajang", "43000")]
    [TestCase("tq13 8df", "TQ138DF")]
    [TestCase("SW13 8AB", "SW138AB")]
    [TestCase("1234 ab", "1234AB")]
    [TestCase("N/A", null)]
    [TestCase("", null)]
    public void A_postcode_keeps_what_tells_it_apart(string raw, string? kept) =>
        Assert.That(MatchRecord.From(0, "test", "k", new PersonFacts { Postcode = raw }, new DateOnly(2026, 12, 7)).Postcode, Is.EqualTo(kept));

    [TestCase("BABY BOY")]
    [TestCase("Baby Girl")]
    [TestCase("")]
    [TestCase(null)]
    [TestCase("N/A")]
    public void Placeholders_carry_no_name(string? raw) => Assert.That(NameNormaliser.Normalise(raw).IsEmpty, Is.True);

    [Test]
    public void Agency_spellings_of_registered_names_fold_back_to_the_registered_form()
    {
        // The generator's clerical variants, read back by a normaliser written without its tables.
        var demo = Path.Combine(Repository.Root, "samples", "demo");
        var people = DelimitedFile.Read(Path.Combine(demo, "truth", "people.csv"), new UTF8Encoding(false), ',').ToDictionary(p => p["person_id"]);
        var varied = DelimitedFile.Read(Path.Combine(demo, "truth", "source_records.csv"), new UTF8Encoding(false), ',')
            .Where(s => s["noise"] == "name_variant" && s["op"] == "").ToList();
        var names = AgencyNames(demo);

        var same = varied.Count(s =>
        {
            var registered = NameNormaliser.Normalise(people[s["person_id"]]["full_name"]);
            var written = NameNormaliser.Normalise(names[(s["file"], long.Parse(s["line"], System.Globalization.CultureInfo.InvariantCulture))]);
            return SameName(written, registered);
        });

        TestContext.Progress.WriteLine($"{same} of {varied.Count} varied names fold back to the registered name");
        Assert.That(varied, Has.Count.GreaterThan(100));
        Assert.That((double)same / varied.Count, Is.GreaterThan(0.9));
    }

    /// <summary>Same tokens in any order, or the same given names with surnames of one clan (TAN MEI LING = CHAN MEI LING).</summary>
    static bool SameName(NormalisedName a, NormalisedName b)
    {
        static string Given(NormalisedName n) => string.Join(' ', n.Own.Where(t => NameNormaliser.ClansOf(t).Count == 0).Order(StringComparer.Ordinal));
        return a.Sorted == b.Sorted || (a.SurnameClans.Intersect(b.SurnameClans).Any() && Given(a) == Given(b));
    }

    static Dictionary<(string File, long Line), string> AgencyNames(string demo)
    {
        var names = new Dictionary<(string, long), string>();
        foreach (var agency in PaduHub.Samples.Agencies.Agency.All)
        {
            var file = $"extracts/{agency.FileStem}_full.{agency.Extension}";
            var column = agency.Header.First(h => h is "NAMA" or "taxpayer_name" or "MEMBER_NAME" or "Account Holder");
            var line = 1L;
            foreach (var row in DelimitedFile.Read(Path.Combine(demo, file), agency.Encoding, agency.Delimiter))
            {
                names[(file, ++line)] = row[column];
            }
        }
        return names;
    }

    [TestCase("NO 12, JLN MAWAR 3, TMN DESA JAYA", "12", "JALAN MAWAR 3 TAMAN DESA JAYA")]
    [TestCase("No. 12, Jalan Mawar 3, Taman Desa Jaya", "12", "JALAN MAWAR 3 TAMAN DESA JAYA")]
    [TestCase("LOT 303, KG PERMAI", "303", "KAMPUNG PERMAI")]
    [TestCase("A-3-5, BLK A, P/PURI SRI ANDALAS", "A-3-5", "BLOK A PANGSAPURI SERI ANDALAS")]
    [TestCase("BILIK 7, RUMAH JUGAH, NANGA SKRANG", "7", "RUMAH JUGAH NANGA SKRANG")]
    [TestCase("JALAN TUN RAZAK", null, "JALAN TUN RAZAK")]
    public void Addresses_fold_abbreviations_and_separate_the_unit(string raw, string? unit, string street)
    {
        var address = AddressNormaliser.Normalise(raw);

        Assert.That(address.Unit, Is.EqualTo(unit));
        Assert.That(address.Street, Is.EqualTo(street));
    }

    [TestCase("NO 12, JALAN MAWAR 3, TAMAN DESA JAYA, 43000 KAJANG, SELANGOR", "JALAN MAWAR 3 TAMAN DESA JAYA", "43000", "KAJANG", "SELANGOR")]
    [TestCase("Lot 5, Kg Sungai Ular, 26100 Kuantan", "KAMPUNG SUNGAI ULAR", "26100", "KUANTAN", null)]
    [TestCase("B-3-12 Jln Ampang, 50450 W.P. Kuala Lumpur", "JALAN AMPANG", "50450", null, "WP KUALA LUMPUR")]
    [TestCase("LOT 12345, KAMPUNG BARU", "KAMPUNG BARU", null, null, null)]
    [TestCase("NO 7 JALAN 12345", "JALAN 12345", null, null, null)]
    [TestCase("NO 109, JALAN INDAH 30, TAMAN JAYA BAKTI, 00497 SUNGAI PETANI, KEDAH", "JALAN INDAH 30 TAMAN JAYA BAKTI", "00497", "SUNGAI PETANI", "KEDAH")]
    [TestCase("NO 7, JALAN 99013, TAMAN INDAH", "JALAN 99013 TAMAN INDAH", null, null, null)]
    public void A_one_line_address_gives_up_its_postcode_town_and_state(string raw, string street, string? postcode, string? city, string? state)
    {
        var address = AddressNormaliser.Normalise(raw);

        Assert.That((address.Street, address.Postcode, address.City, address.State), Is.EqualTo((street, postcode, city, state)));
    }

    [Test]
    public void The_columns_win_over_the_locality_an_address_ends_in()
    {
        var address = AddressNormaliser.Normalise("NO 12, JALAN MAWAR 3, 43000 KAJANG, SELANGOR", "43200", "Selangor Darul Ehsan");

        Assert.That((address.Street, address.Postcode, address.State), Is.EqualTo(("JALAN MAWAR 3", "43200", "SELANGOR")));
    }

    [Test]
    public void A_utility_bills_one_line_address_agrees_with_the_same_address_in_columns()
    {
        var bill = MatchRecord.From(0, "tnb", "0", new PersonFacts { Address = "No 12, Jln Mawar 3, Tmn Desa Jaya, 43000 Kajang, Selangor" }, new DateOnly(2026, 12, 6));
        var registry = MatchRecord.From(1, "jpn", "1", new PersonFacts
        {
            Address = "NO 12, JALAN MAWAR 3, TAMAN DESA JAYA",
            Postcode = "43000",
            City = "KAJANG",
            State = "SELANGOR",
        }, new DateOnly(2026, 12, 6));

        Assert.That((bill.Street, bill.Unit, bill.Postcode, bill.City, bill.State), Is.EqualTo((registry.Street, registry.Unit, registry.Postcode, registry.City, registry.State)));
    }

    [TestCase("KL", "KUALA LUMPUR")]
    [TestCase("J.B.", "JOHOR BAHRU")]
    [TestCase("Kajang", "KAJANG")]
    [TestCase("  ", null)]
    public void Towns_are_written_in_full(string raw, string? town) => Assert.That(AddressNormaliser.Town(raw), Is.EqualTo(town));

    [Test]
    public void A_postcode_that_lost_its_leading_zero_gets_it_back() =>
        Assert.That(AddressNormaliser.Normalise("NO 5, JALAN MAWAR 3", "5048").Postcode, Is.EqualTo("05048"));

    [TestCase("KL", "WP KUALA LUMPUR")]
    [TestCase("W.P. Kuala Lumpur", "WP KUALA LUMPUR")]
    [TestCase("Penang", "PULAU PINANG")]
    [TestCase("P. PINANG", "PULAU PINANG")]
    [TestCase("Selangor Darul Ehsan", "SELANGOR")]
    [TestCase("MALACCA", "MELAKA")]
    [TestCase("Atlantis", null)]
    public void States_have_one_name(string raw, string? state) => Assert.That(AddressNormaliser.State(raw), Is.EqualTo(state));

    [TestCase("013-876 8645", "0138768645")]
    [TestCase("+60 13-876 8645", "0138768645")]
    [TestCase("60138768645", "0138768645")]
    [TestCase("0060 13-876 8645", "0138768645")]
    [TestCase("138768645", "0138768645")]
    [TestCase("03-2691 1234", "0326911234")]
    [TestCase("0000000000", null)]
    [TestCase("12345", null)]
    [TestCase("", null)]
    [TestCase("012-345 6789 / 03-1234 5678", "0123456789")]
    [TestCase("TIADA, 03-1234 5678", "0312345678")]
    public void Phones_come_out_national_digits(string raw, string? phone) => Assert.That(PhoneNormaliser.Normalise(raw), Is.EqualTo(phone));
}
