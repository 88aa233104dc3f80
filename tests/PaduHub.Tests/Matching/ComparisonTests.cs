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

    [TestCase("MYKAD", "010525147706", "10525147706", "20010525")]
    [TestCase("NATIONAL_ID", "010525147706", "10525147706", "20010525")]
    [TestCase("NATIONAL_ID", "000916048784", "916048784", "20000916")]
    [TestCase("MYKAD", "851301145533", "51301145533", null)]
    [TestCase("MYKAD", "000916048784", "0916048784", "20000916")]
    public void A_MyKad_stored_as_a_number_gets_its_leading_zeros_back(string column, string mykad, string stored, string? birth)
    {
        var registered = Person(0, "TEH KIAT HUI", mykad: mykad);
        var facts = new PersonFacts { FullName = "TEH KIAT HUI", Identifiers = { new PersonIdentifier(column, stored) } };
        var exported = MatchRecord.From(1, "test", "1", facts, s_today);

        Assert.That(Comparisons.NationalId.Level(registered, exported), birth is null ? Is.Not.EqualTo(Comparisons.NationalId.Exact) : Is.EqualTo(Comparisons.NationalId.Exact));
        Assert.That(exported.DateOfBirth, Is.EqualTo(birth));
    }

    [TestCase("50000", "50000", 2)]
    [TestCase("50000", "50001", 1)]
    [TestCase("50000", "50099", 0)]
    [TestCase("50000", "50999", 0)]
    [TestCase("TQ13 8DF", "tq13 8df", 2)]
    [TestCase("TQ13 8DF", "TQ13 8DG", 1)]
    [TestCase("TQ13 8DF", "TQ13 9HU", 1)]
    [TestCase("TQ13 8DF", "SW13 8DF", 0)]
    [TestCase("TQ13 8DF", "SW13 8AB", 0)]
    public void Postcodes_are_close_by_one_character_or_by_a_district_where_they_have_one(string a, string b, int level)
    {
        MatchRecord At(int index, string postcode) => MatchRecord.From(index, "test", "k", new PersonFacts { Postcode = postcode }, s_today);

        Assert.That(Comparisons.Postcode.Level(At(0, a), At(1, b)), Is.EqualTo(level));
    }

    [Test]
    public void An_eleven_digit_number_that_is_no_MyKad_with_a_zero_stays_as_it_is()
    {
        var facts = new PersonFacts { Identifiers = { new PersonIdentifier("MYKAD", "85010114553") } };

        Assert.That(MatchRecord.From(0, "test", "0", facts, s_today).Identifiers.Single().Value, Is.EqualTo("85010114553"));
    }

    [Test]
    public void Spelling_variants_and_titles_agree_exactly_on_the_whole_name()
    {
        var registered = Person(0, "MUHAMMAD HAFIZ BIN ABDUL RAHMAN");
        var clerk = Person(1, "Hj. Mohd Hafiz b. Abd Rahman");

        Assert.That(Comparisons.FullName.Level(registered, clerk), Is.EqualTo(Comparisons.FullName.Exact));
    }

    [TestCase("NUR ROSMAH BINTI AZHAR", "NURUL ROSMAH BINTI AZHAR", "a shortened form")]
    [TestCase("GOH YEE LEONG", "GO YEE LEONG", "a dialect spelling of one surname")]
    [TestCase("LEONG XIN YEN", "NEO XIN YEN", "a dialect spelling of one surname")]
    [TestCase("LIANG HAO CHOON", "LEONG HAO CHOON", "Mandarin and Cantonese spellings of one surname, five letters each")]
    [TestCase("CHEONG WAI KIT", "ZHANG WAI KIT", "six letters against five")]
    [TestCase("LAM SHAN YEN", "Shan Yen Lam", "surname last")]
    [TestCase("WAI LING LI", "Lee Wai Ling", "surname moved and spelled another way")]
    [TestCase("HAZIQ SULAIMAN BIN ISKANDAR", "HKAZIQ SULAIMAN BN ISKANDAR", "a slip and a short connector")]
    [TestCase("TEH JUN HAO", "TEH JUNHAO", "a given name written joined")]
    [TestCase("CHEW LAN XIN", "CHE WLAN XIN", "a space slipped one letter")]
    [TestCase("MUHAMMAD FAIZ BIN ISMAIL", "M FAIZ BIN ISMAIL", "an initial")]
    [TestCase("TEH LAN MEI", "TH LAN MI", "a short word's middle letter dropped")]
    [TestCase("LEE YI KOK", "LEE YI KK", "a short word's middle letter dropped")]
    [TestCase("LAU POH MING", "LAU PO MING", "a Hokkien name's closing H")]
    [TestCase("CHAN FONG SIEW", "Chan Fong Isew", "a short word's first two letters swapped")]
    [TestCase("SITI FATIN BINTI ISHAK", "SITI ATIN BINTI ISHAK", "a first letter dropped, four kept")]
    [TestCase("MUHAMMAD YAZID BIN ISMAIL", "Muhammad Azid bin Ismail", "a first letter dropped, four kept")]
    public void A_name_spelled_differently_word_for_word_sits_just_under_exact(string registered, string clerk, string why) =>
        Assert.That(Comparisons.FullName.Level(Person(0, registered), Person(1, clerk)), Is.EqualTo(Comparisons.FullName.Exact - 1), why);

    [Test]
    public void A_slip_in_another_spelling_of_Muhammad_is_the_same_name_as_any_spelling() =>
        Assert.That(Comparisons.FullName.Level(Person(0, "MUHAMMAD HAKIM BIN ROSLAN"), Person(1, "Mohamod Hakim Bin Roslan")), Is.EqualTo(Comparisons.FullName.Exact),
            "MOHD and MUHAMMAD are one name; so is a slip in MOHAMAD");

    [TestCase("TAN WEI MING", "TAN WEI LING")]
    [TestCase("AHMAD FAIZ BIN ISMAIL", "AHMAD FARID BIN ISMAIL")]
    [TestCase("SITI AMINAH BINTI YUSOF", "SITI AMINAH BINTI ISMAIL")]
    [TestCase("ANG MEI LING", "NG MEI LING")]
    [TestCase("LIM SIEW LAN", "LI SIEW LAN")]
    [TestCase("CHAN FONG SIEW", "CHAN FONG WEI")]
    [TestCase("TAN MEI LING", "TAN MEI ING")]
    [TestCase("NUR AIDA BINTI HASSAN", "NUR IDA BINTI HASSAN")]
    public void Siblings_names_are_not_one_name_spelled_differently(string a, string b) =>
        Assert.That(Comparisons.FullName.Level(Person(0, a), Person(1, b)), Is.LessThan(Comparisons.FullName.Exact - 1));

    [Test]
    public void A_name_that_repeats_a_word_keeps_both()
    {
        Assert.That(Comparisons.FullName.Level(Person(0, "TAN LAY LAY"), Person(1, "JOANNE TAN LAY CHEE")), Is.LessThan(Comparisons.FullName.Exact - 2),
            "LAY LAY is not LAY CHEE less a word");
        Assert.That(Comparisons.FullName.Level(Person(0, "TAN LAY LAY"), Person(1, "JOANNE TAN LAY LAY")), Is.EqualTo(Comparisons.FullName.Exact - 2));
        Assert.That(Comparisons.FullName.Level(Person(0, "TAN LAY LAY"), Person(1, "Lay Lay Tan")), Is.EqualTo(Comparisons.FullName.Exact - 1));
    }

    [Test]
    public void A_dropped_patronym_still_agrees_on_the_own_name()
    {
        Assert.That(Comparisons.FullName.Level(Person(0, "NUR AISYAH BINTI ISMAIL"), Person(1, "NUR AISYAH")), Is.EqualTo(Comparisons.FullName.Exact - 2));
        Assert.That(Comparisons.FullName.Level(Person(0, "NUR AISYAH BINTI ISMAIL"), Person(1, "SITI AMINAH BINTI YUSOF")), Is.EqualTo(0));
        Assert.That(Comparisons.FullName.Level(Person(0, "AHMAD FAUZI BIN AHMAD FAUZI"), Person(1, "AHMAD FAUZI")), Is.GreaterThanOrEqualTo(Comparisons.FullName.Exact - 2),
            "named after the father: the own name is the whole account name too");
    }

    [TestCase("SELVAM A/L RAVI", "Selvam")]
    [TestCase("JEFFREY ANAK GINDOL", "Jeffrey")]
    [TestCase("NABILA BINTI ASYRAF", "Nabila")]
    public void An_own_name_alone_is_a_name_part_less(string registered, string account) =>
        Assert.That(Comparisons.FullName.Level(Person(0, registered), Person(1, account)), Is.EqualTo(Comparisons.FullName.Exact - 2));

    [TestCase("NUR NABILA BINTI HAFIZ", "Nabila", "one word of a longer own name")]
    [TestCase("KUMAR A/L SELVAM", "Selvam", "the father's name, not the son's")]
    public void A_lone_word_that_is_not_the_whole_own_name_only_overlaps(string registered, string account, string why) =>
        Assert.That(Comparisons.FullName.Level(Person(0, registered), Person(1, account)), Is.LessThan(Comparisons.FullName.Exact - 2), why);

    [TestCase("NUR FARIDAH BINTI ABDUL LATIF", "Abdul Latif")]
    [TestCase("MUHAMMAD AIMAN BIN AHMAD KAMAL", "Ahmad Kamal")]
    [TestCase("KUMAR A/L SELVAM", "Selvam")]
    [TestCase("MUHAMMAD FIRDAUS BIN KHALID FIRDAUS", "KHALID FIRDAUS")]
    public void The_fathers_name_alone_is_a_different_person(string child, string account) =>
        Assert.That(Comparisons.FullName.Level(Person(0, child), Person(1, account)), Is.EqualTo(0));

    [Test]
    public void Twins_mykads_one_digit_apart_are_two_numbers_when_their_own_names_differ()
    {
        // Same birth date and place, serials in sequence: the registration department's numbers for twins.
        var faiz = Person(0, "AHMAD FAIZ BIN ISMAIL", mykad: "150312-10-5673");
        var farid = Person(1, "AHMAD FARID BIN ISMAIL", mykad: "150312-10-5675");
        var faizAgain = Person(2, "Ahmad Faiz b. Ismail", mykad: "150312-10-5675");

        Assert.That(Comparisons.NationalId.Level(faiz, farid), Is.EqualTo(0), "one digit apart, own names differ: two people");
        Assert.That(Comparisons.FullName.Level(faiz, farid), Is.EqualTo(0), "alike through the father's name only");
        Assert.That(Comparisons.NationalId.Level(faiz, faizAgain), Is.EqualTo(1), "the same name: a typo in the number");
        Assert.That(Comparisons.FullName.Level(Person(0, "AHMAD FAIZ BIN ISMAIL"), Person(1, "AHMAD FAIS BIN ISMAIL")), Is.GreaterThan(0), "a slip in an own name");
        Assert.That(Comparisons.FullName.Level(Person(0, "NUR AISYAH BINTI ISMAIL"), Person(1, "AISYAH BINTI ISMAIL")), Is.GreaterThan(0), "a dropped own name");
        Assert.That(Comparisons.FullName.Level(Person(0, "TAN WEI MING"), Person(1, "CHAN WEI MING")), Is.GreaterThan(0), "a Chinese name has no own part set apart");
    }

    [Test]
    public void A_number_one_digit_off_is_no_typo_between_records_that_state_different_sexes()
    {
        // Twins named alike, a sister and a brother: the MyKads' last digits say female and male.
        static MatchRecord Twin(int index, string name, string mykad, string sex)
        {
            var facts = new PersonFacts { FullName = name, DateOfBirth = "2003-07-19", Sex = sex };
            facts.Identifiers.Add(new PersonIdentifier("MYKAD", mykad));
            return MatchRecord.From(index, "test", index.ToString(System.Globalization.CultureInfo.InvariantCulture), facts, s_today);
        }
        var sister = Twin(0, "LAM KHENG CHOO", "030719104034", "P");
        var brother = Twin(1, "VIVIAN LAM KHENG CHOON", "030719104035", "L");
        Assert.That(Comparisons.NationalId.Level(sister, brother), Is.EqualTo(0));
        Assert.That(Comparisons.NationalId.Level(sister, Person(1, "LAM KHENG CHOO", mykad: "030719104035")), Is.EqualTo(1),
            "a sex the MyKad gave, not the record, says nothing");
    }

    [Test]
    public void Dates_of_birth_have_levels_for_the_usual_slips()
    {
        var born = Person(0, dob: "1988-05-12");
        Assert.That(Comparisons.DateOfBirth.Level(born, Person(1, dob: "1988-05-12")), Is.EqualTo(4));
        Assert.That(Comparisons.DateOfBirth.Level(born, Person(1, dob: "1988-12-05")), Is.EqualTo(3), "day and month swapped");
        Assert.That(Comparisons.DateOfBirth.Level(born, Person(1, dob: "1988-05-13")), Is.EqualTo(2), "one digit");
        Assert.That(Comparisons.DateOfBirth.Level(born, Person(1, dob: "1989-05-12")), Is.EqualTo(2), "one digit of the year");
        Assert.That(Comparisons.DateOfBirth.Level(Person(0, dob: "1990-05-12"), Person(1, dob: "1989-05-12")), Is.EqualTo(1), "a year off by one");
        Assert.That(Comparisons.DateOfBirth.Level(born, Person(1, dob: "1988-11-12")), Is.EqualTo(1), "the month alone wrong");
        Assert.That(Comparisons.DateOfBirth.Level(born, Person(1, dob: "1988-05-27")), Is.EqualTo(1), "the day alone wrong");
        Assert.That(Comparisons.DateOfBirth.Level(born, Person(1, dob: "1984-05-12")), Is.EqualTo(2), "a one-digit year slip is a typo");
        Assert.That(Comparisons.DateOfBirth.Level(born, Person(1, dob: "1978-05-12")), Is.EqualTo(2), "one digit, ten years off");
        Assert.That(Comparisons.DateOfBirth.Level(born, Person(1, dob: "1976-05-12")), Is.EqualTo(1), "the year alone wrong, by more than a digit");
        Assert.That(Comparisons.DateOfBirth.Level(born, Person(1, dob: "1988-11-27")), Is.EqualTo(0), "month and day both wrong");
        Assert.That(Comparisons.DateOfBirth.Level(born, Person(1, dob: "1977-01-30")), Is.EqualTo(0));
        Assert.That(Comparisons.DateOfBirth.Level(born, Person(1, dob: "1976-05-13")), Is.EqualTo(0), "the year and the day wrong");
        Assert.That(Comparisons.DateOfBirth.Level(born, Person(1)), Is.EqualTo(Comparisons.Missing));
    }

    [Test]
    public void Birth_dates_that_differ_in_every_part_are_compared_by_how_near_they_fall()
    {
        var born = Person(0, dob: "1988-05-12");
        int Distance(MatchRecord a, string dob) => Comparisons.DateOfBirthDistance.Level(a, Person(1, dob: dob));
        Assert.That(Distance(born, "1988-04-25"), Is.EqualTo(2), "17 days earlier");
        Assert.That(Distance(Person(0, dob: "1987-12-30"), "1988-01-21"), Is.EqualTo(2), "across a new year");
        Assert.That(Distance(born, "1988-11-27"), Is.EqualTo(1), "month and day both wrong, within the year");
        Assert.That(Distance(born, "1987-06-20"), Is.EqualTo(1), "a year out, and the month and day with it");
        Assert.That(Distance(born, "1977-01-30"), Is.EqualTo(0));
        Assert.That(Distance(born, "1988-05-13"), Is.EqualTo(Comparisons.Missing), "a slip is the birth date's own level");
        Assert.That(Distance(born, "1988-05-12"), Is.EqualTo(Comparisons.Missing));
        Assert.That(Distance(Person(0, dob: "1988-03-01"), "1988-02-30"), Is.EqualTo(Comparisons.Missing), "a 30th of February is no day to count from");
        Assert.That(Comparisons.DateOfBirthDistance.Level(born, Person(1)), Is.EqualTo(Comparisons.Missing));
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

    /// <summary>
    /// Identifiers of digits are compared in their packed form; the answer must be the strings' own: equal, one
    /// substitution, insertion or deletion, a swap of neighbours, or none of these. Random MyKads with slips of every
    /// kind, lengths up to the 16 digits a packing holds and past them, and values with letters.
    /// </summary>
    [Test]
    public void Packed_identifiers_compare_as_their_strings_do()
    {
        var random = new Random(11);
        string Digits(int length) => new([.. Enumerable.Range(0, length).Select(_ => (char)('0' + random.Next(10)))]);
        string Slip(string value)
        {
            var chars = value.ToList();
            var at = random.Next(chars.Count - 1);
            switch (random.Next(6))
            {
                case 0: chars[at] = (char)('0' + random.Next(10)); break;
                case 1: (chars[at], chars[at + 1]) = (chars[at + 1], chars[at]); break;
                case 2: chars.RemoveAt(at); break;
                case 3: chars.Insert(at, (char)('0' + random.Next(10))); break;
                case 4: (chars[at], chars[^1]) = (chars[^1], chars[at]); break;
                default: chars[at] = 'A'; break;
            }
            return new string([.. chars]);
        }
        for (var i = 0; i < 50_000; i++)
        {
            var a = Digits(random.Next(3, 18));
            var b = random.Next(4) == 0 ? Digits(a.Length) : Slip(random.Next(3) == 0 ? Slip(a) : a);
            var x = MatchRecord.From(0, "test", "0", new PersonFacts { Identifiers = { new PersonIdentifier("ARMY", a) } }, s_today);
            var y = MatchRecord.From(1, "test", "1", new PersonFacts { Identifiers = { new PersonIdentifier("ARMY", b) } }, s_today);
            if (x.Identifiers.Length == 0 || y.Identifiers.Length == 0)
            {
                continue; // too short or too uniform to be kept
            }
            var (u, v) = (x.Identifiers[0].Value, y.Identifiers[0].Value);
            var expected = u == v ? 2 : Similarity.WithinOneEdit(u, v) || Similarity.IsTransposition(u, v) ? 1 : 0;
            Assert.That(Comparisons.NationalId.Level(x, y), Is.EqualTo(expected), $"{u} / {v}");
        }
    }

    /// <summary>Street overlap counted from kept words must give the level searching the text gives, on the demo's addresses mistyped, shuffled and repeated.</summary>
    [Test]
    public void Street_words_kept_give_the_level_the_text_gives()
    {
        var random = new Random(13);
        var addresses = File.ReadLines(Path.Combine(Repository.Root, "samples", "demo", "extracts", "jpn_full.csv")).Skip(1)
            .Select(line => line.Split(',')).Select(f => f[7] + " " + f[8]).ToList();
        string Vary(string address)
        {
            var words = address.Split(' ').ToList();
            switch (random.Next(5))
            {
                case 0: words[random.Next(words.Count)] = "JLN"; break;
                case 1: words.Insert(random.Next(words.Count), words[random.Next(words.Count)]); break;
                case 2: random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(words)); break;
                case 3: words.RemoveAt(random.Next(words.Count)); break;
                default:
                    var w = random.Next(words.Count);
                    words[w] = words[w].Length > 1 ? words[w][1..] + "A" : "X";
                    break;
            }
            return string.Join(' ', words);
        }
        MatchRecord At(int index, string address) =>
            MatchRecord.From(index, "test", "k", new PersonFacts { Address = address, Postcode = "50000" }, s_today);
        var levels = new int[4];
        var pairs = Enumerable.Range(0, 20_000).Select(_ =>
        {
            var a = addresses[random.Next(addresses.Count)];
            return (a, random.Next(3) == 0 ? addresses[random.Next(addresses.Count)] : Vary(random.Next(2) == 0 ? Vary(a) : a));
        }).ToList();
        pairs.AddRange([("TAMAN TAMAN TAMAN MELATI", "TAMAN MELATI INDAH"), ("JALAN 2 JALAN 2", "JALAN 2 LORONG 5 JALAN"), ("A B", "A B"), ("JALAN JALAN JALAN JALAN X", "JALAN Y Z")]);
        foreach (var (a, b) in pairs)
        {
            var (x, y) = (At(0, a), At(1, b));
            var expected = StreetComparison.Level(x, y, byKeptWords: false);
            Assert.That(StreetComparison.Level(x, y, byKeptWords: true), Is.EqualTo(expected), $"{x.Street} / {y.Street}");
            levels[Math.Max(0, expected)]++;
        }
        Assert.That(levels, Has.All.GreaterThan(100), "every level seen");
    }

    [TestCase("D-8-1, BLOK D, PANGSAPURI SERI PERDANA", "D-8-1, BLOK D, PSRI SERI PERDANA", 3, "PSRI, a short form the normaliser does not know")]
    [TestCase("NO 4, JALAN BUKIT INDAH 2", "NO 4, JLN BKT INDAH 2", 3, "two words shortened")]
    [TestCase("NO 9, JALAN BUKIT INDAH 2", "NO 4, JLN BKT INDAH 2", 2, "the same street, another unit")]
    [TestCase("NO 4, JALAN SERAI 2", "NO 4, JALAN SERI 2", 2, "SERI is not SERAI shortened: a typo's level")]
    [TestCase("NO 4, JALAN BUKIT INDAH 2", "NO 4, JALAN BKT INDAH 3", 1, "a street of another number")]
    [TestCase("NO 4, JALAN BUKIT INDAH 2", "NO 4, JALAN BKT 2", 1, "a word left out is not a short form")]
    public void Streets_differing_only_by_short_forms_are_one_street(string address, string other, int level, string why)
    {
        MatchRecord At(int index, string text) => MatchRecord.From(index, "test", "k", new PersonFacts { Address = text, Postcode = "50000" }, s_today);

        Assert.That(StreetComparison.Level(At(0, address), At(1, other), byKeptWords: true), Is.EqualTo(level), why);
    }

    [TestCase("NEO MEI YAN", "MUHAMMAD ASYRAF NEO BIN ABDULLAH", "keeps the family name")]
    [TestCase("GOH YOKE SOON", "NUR NABILA BINTI ABDULLAH", "a Chinese name beside a convert's")]
    [TestCase("THILAGA A/P KRISHNAN", "Nurul Adibah Binti Abdullah", "A/P beside BINTI ABDULLAH")]
    [TestCase("PAUL GOMES", "MUHAMMAD ARIFF GOMES B ABDULLAH", "keeps a word of the old name")]
    [TestCase("RITA JULIANA ANAK BUJANG", "Nur Salmah Abdullah", "ABDULLAH without BINTI")]
    [TestCase("CHENG GEOK SHAN", "Muhammad Rashid Bin Abullah", "ABDULLAH with a letter dropped")]
    [TestCase("LIM AH KOW", "MUHAMMAD ADAM BIN ADBULLAH", "ABDULLAH with two letters swapped")]
    public void A_converts_new_name_is_a_conversion_name_not_a_different_one(string old, string converted, string why) =>
        Assert.That(Comparisons.FullName.Level(Person(0, old), Person(1, converted)), Is.EqualTo(1), why);

    [TestCase("SITI AMINAH BINTI YUSOF", "NUR AISYAH BINTI ABDULLAH", "two Muslim names")]
    [TestCase("AHMAD BIN ABDULLAH", "ALI BIN ABDULLAH", "brothers")]
    [TestCase("LIM AH KOW", "MUHAMMAD ADAM BIN ABDUL", "ABDUL is a name of its own, not ABDULLAH cut short")]
    [TestCase("SITI AMINAH", "NUR HIDAYAH BINTI ABDULLAH", "a Malay name without its patronym is no sign of a conversion")]
    public void Other_names_beside_bin_abdullah_are_not_conversions(string a, string b, string why) =>
        Assert.That(Comparisons.FullName.Level(Person(0, a), Person(1, b)), Is.Not.EqualTo(1), why);

    [TestCase("OOI HONG KAI", "991018120456", "OOI HONG KAH", "991018120458", 0, "twins' numbers one after the other, their names a letter apart")]
    [TestCase("AISYAH BINTI MOHD AZMAN", "991018120456", "NURUL AISYAH BINTI MOHD AZMAN", "991018120458", 0, "a given name more")]
    [TestCase("OOI HONG KAI", "991018120456", "OOI HONG KAI", "991018120458", 1, "the same name: a slip in the number")]
    [TestCase("GO SOON CHEE", "670526088284", "GOH SOON CHEE", "670526088286", 1, "the surname spelled another way")]
    [TestCase("LOW H TECK", "841012109761", "LOW HENG TECK", "841012109763", 1, "a given name as its initial")]
    [TestCase("OOI HONG KAI", "991018120456", "OOI HONG KAH", "991018120459", 1, "a last digit one apart is no twin's number: the other sex's")]
    public void A_number_two_after_another_under_another_own_name_is_a_twins(string name, string mykad, string other, string otherMyKad, int level, string why) =>
        Assert.That(Comparisons.NationalId.Level(Person(0, name, dob: "1999-10-18", mykad: mykad), Person(1, other, dob: "1999-10-18", mykad: otherMyKad)),
            Is.EqualTo(level), why);

    [Test]
    public void A_slip_in_the_mykads_birth_digits_is_a_typo_whatever_the_names()
    {
        // Both records give 1957-09-29; 570969 spells no date at all, so it is the same number mistyped, not a
        // stranger's: anyone born that day has 570929 in front.
        var registered = Person(0, "CHONG KIAT TZE", dob: "1957-09-29", mykad: "570929060656");
        var converted = Person(1, "NUR HAYATI BINTI ABDULLAH", dob: "1957-09-29", mykad: "570969060656");
        var stranger = Person(2, "NUR HAYATI BINTI ABDULLAH", dob: "1957-09-29", mykad: "570929060646");
        Assert.That(Comparisons.NationalId.Level(registered, converted), Is.EqualTo(1));
        Assert.That(Comparisons.NationalId.Level(registered, stranger), Is.EqualTo(0), "a serial one digit off, names apart: another person");
        Assert.That(Comparisons.NationalId.Level(registered, Person(3, "NUR HAYATI BINTI ABDULLAH", dob: "1957-09-28", mykad: "570969060656")), Is.EqualTo(0),
            "the birth dates disagree too");
    }

    [Test]
    public void A_convert_who_keeps_a_word_of_the_old_name_keeps_a_mistyped_mykad_too()
    {
        var registered = Person(0, "TEO SIONG KEONG", mykad: "670505217051");
        Assert.That(Comparisons.NationalId.Level(registered, Person(1, "Muhammad Rayyan Teo Bin Abdullah", mykad: "670505 21 7057")), Is.EqualTo(1));
        Assert.That(Comparisons.NationalId.Level(registered, Person(1, "Muhammad Rayyan Bin Abdullah", mykad: "670505 21 7057")), Is.EqualTo(0),
            "nothing of the old name kept: a stranger's number as likely as a slip");
        Assert.That(Comparisons.NationalId.Level(registered, Person(1, "Muhammad Rayyan Tiong Bin Abdullah", mykad: "670505 21 7057")), Is.EqualTo(1),
            "TIONG is TEO in another dialect: the family name kept as another agency wrote it");
    }

    [Test]
    public void A_married_name_keeps_a_mistyped_mykad_and_a_twin_sisters_name_does_not()
    {
        var registered = Person(0, "AGNES ANAK JOSEPH", dob: "1963-02-15", mykad: "630215081578");
        Assert.That(Comparisons.NationalId.Level(registered, Person(1, "AGNES PETER", dob: "1963-02-15", mykad: "630215-08-1576")), Is.EqualTo(1),
            "her own name whole, her husband's where her father's stood: her number mistyped");
        Assert.That(Comparisons.NationalId.Level(registered, Person(1, "MARY PETER", dob: "1963-02-15", mykad: "630215-08-1576")), Is.EqualTo(0),
            "another own name: a twin sister's number");
        Assert.That(Comparisons.NationalId.Level(registered, Person(1, "MARY ANAK JOSEPH", dob: "1963-02-15", mykad: "630215081576")), Is.EqualTo(0),
            "the twin sister under her father's name");
        Assert.That(Comparisons.NationalId.Level(Person(0, "LAKSHMI A/P MUTHU", mykad: "700101105432"), Person(1, "LAKSHMI RAJU", mykad: "700101105438")),
            Is.EqualTo(1));
    }

    [Test]
    public void A_conversion_keeps_a_mykad_mistyped_before_its_serial_whatever_it_kept_of_the_old_name()
    {
        var convert = Person(0, "MOHD HAZIQ BIN ABDULLAH", dob: "1959-03-16", mykad: "590316124999");
        Assert.That(Comparisons.NationalId.Level(convert, Person(1, "UNTING ANAK UNTING", mykad: "590416124999")), Is.EqualTo(1),
            "a slip in the month: a twin's number spells his birth date");
        Assert.That(Comparisons.NationalId.Level(convert, Person(1, "UNTING ANAK UNTING", mykad: "590316124997")), Is.EqualTo(0),
            "another serial: a brother born that day, who did not convert");
    }

    [Test]
    public void An_english_name_keeps_a_mykad_mistyped_before_its_serial_and_a_twins_serial_stays_another_number()
    {
        var registered = Person(0, "LIM CHIN YI", dob: "1974-10-13", mykad: "741013041649");
        Assert.That(Comparisons.NationalId.Level(registered, Person(1, "JASON LIM", mykad: "741013401649")), Is.EqualTo(1),
            "the birthplace digits swapped: twins share a birthplace, so this is his number mistyped");
        Assert.That(Comparisons.NationalId.Level(registered, Person(1, "JASON LIM", mykad: "741018041649")), Is.EqualTo(1),
            "a slip in the birth date, where a twin's number agrees");
        Assert.That(Comparisons.NationalId.Level(registered, Person(1, "JASON LIM", mykad: "741013041651")), Is.EqualTo(0),
            "another serial: his twin brother's number, under the twin's English name");
        Assert.That(Comparisons.NationalId.Level(registered, Person(1, "JASON TAN", mykad: "741013401649")), Is.EqualTo(0),
            "another surname: not his English name");
    }

    [TestCase("NUR NABILA BINTI HAFIZ", 'F')]
    [TestCase("KUMAR A/L SELVAM", 'M')]
    [TestCase("AHMAD B. ISMAIL", 'M')]
    [TestCase("JEFFREY ANAK GINDOL", '\0')]
    [TestCase("TAN WEI MING", '\0')]
    public void The_connector_gives_the_sex_when_nothing_else_does(string name, char sex) =>
        Assert.That((Person(0, name).Sex, Person(0, name).SexStated), Is.EqualTo((sex, false)));

    [TestCase("Lelaki", 'M')]
    [TestCase("laki-laki", 'M')]
    [TestCase("1", 'M')]
    [TestCase("WANITA", 'F')]
    [TestCase("2", 'F')]
    [TestCase("9", '\0')]
    public void A_stated_sex_is_read_in_Malay_English_or_ISO_codes(string stated, char sex)
    {
        var record = MatchRecord.From(0, "test", "0", new PersonFacts { FullName = "TAN WEI MING", Sex = stated }, s_today);
        Assert.That((record.Sex, record.SexStated), Is.EqualTo((sex, sex != '\0')));
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
