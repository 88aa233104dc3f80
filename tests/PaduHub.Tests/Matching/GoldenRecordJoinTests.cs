using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>
/// Clusters are read as golden records before the run ends (Clustering.JoinAsGoldenRecords): a utility account that
/// agrees with the registration record on the address and with the welfare record on the phone is one person, though
/// neither pair alone reaches the link threshold. A brother at the same address with the same phone is not.
/// </summary>
public sealed class GoldenRecordJoinTests
{
    static readonly DateOnly s_today = new(2026, 11, 27);

    /// <summary>m and u as training fitted them on the harder generated population (20,000 people, seed 11).</summary>
    static MatchModel Model()
    {
        (Comparison Comparison, double[] M, double[] U)[] fitted =
        [
            (Comparisons.FullName, [0.0073, 0.0104, 0.0094, 0.1043, 0.1301, 0.7385], [0.654956, 0.000906, 0.260860, 0.051124, 0.005919, 0.026235]),
            (Comparisons.DateOfBirth, [0.0005, 0.00001, 0.0029, 0.0043, 0.9923], [0.915748, 0.001103, 0.011058, 0.000095, 0.071996]),
            (Comparisons.NationalId, [0.00001, 0.0375, 0.9625], [0.999998, 0.000001, 0.000001]),
            (Comparisons.Street, [0.1924, 0.0242, 0.0002, 0.7833], [0.776098, 0.105656, 0.000479, 0.117767]),
            (Comparisons.Postcode, [0.1309, 0.0295, 0.8397], [0.655144, 0.048843, 0.296013]),
            (Comparisons.City, [0.2980, 0.0088, 0.6933], [0.708328, 0.001912, 0.289761]),
            (Comparisons.State, [0.0778, 0.9222], [0.608841, 0.391159]),
            (Comparisons.Phone, [0.2117, 0.00001, 0.7883], [0.624928, 0.000001, 0.375071]),
        ];
        return new MatchModel
        {
            Comparisons = [.. fitted.Select(f => f.Comparison)],
            Parameters = [.. fitted.Select(f => new ComparisonParameters { Name = f.Comparison.Name, Levels = f.Comparison.Levels, M = f.M, U = f.U, URandom = f.U })],
            Lambda = 0.0605,
        };
    }

    static MatchRecord Record(int index, string source, string name, string? dob = null, string? mykad = null, string? address = null, string? phone = null)
    {
        var facts = new PersonFacts { FullName = name, DateOfBirth = dob, Phone = phone };
        if (address is not null)
        {
            (facts.Address, facts.Postcode, facts.City, facts.State) = (address, "48000", "RAWANG", "SELANGOR");
        }
        if (mykad is not null)
        {
            facts.Identifiers.Add(new PersonIdentifier("MYKAD", mykad));
        }
        return MatchRecord.From(index, source, index.ToString(System.Globalization.CultureInfo.InvariantCulture), facts, s_today);
    }

    static int[] Cluster(MatchRecord[] records, MatchModel model)
    {
        var pairs = new List<ScoredPair>();
        for (var a = 0; a < records.Length; a++)
        {
            for (var b = a + 1; b < records.Length; b++)
            {
                pairs.Add(model.Score(records[a], records[b]));
            }
        }
        return Clustering.Cluster(records, pairs, model, new MatchSettings()).ClusterOf;
    }

    [Test]
    public void A_utility_account_joins_the_person_whose_records_hold_its_address_and_its_phone()
    {
        var model = Model();
        MatchRecord[] records =
        [
            Record(0, "JPN", "SELVAM A/L RAVI", "1988-06-27", "880627432525", address: "LOT 1340, KAMPUNG AMPANG"),
            Record(1, "KWSP", "SELVAM S/O RAVI", "1988-06-27", "880627-43-2525", phone: "0162467117"),
            Record(2, "TNB", "Selvam", address: "Lot 1340, Kampung Ampang", phone: "0162467117"),
            Record(3, "TNB", "Kumar A/L Ravi", address: "Lot 1340, Kampung Ampang", phone: "0162467117"),
        ];
        var linkWeight = Clustering.Weight(new MatchSettings().LinkProbability);
        Assert.That(model.Weight(records[0], records[2]), Is.LessThan(linkWeight), "the address alone does not link the account");
        Assert.That(model.Weight(records[1], records[2]), Is.LessThan(linkWeight), "nor the phone alone");

        var clusterOf = Cluster(records, model);

        Assert.That(clusterOf[1], Is.EqualTo(clusterOf[0]), "the two agencies' records of Selvam");
        Assert.That(clusterOf[2], Is.EqualTo(clusterOf[0]), "the account, by the address one holds and the phone the other");
        Assert.That(clusterOf[3], Is.Not.EqualTo(clusterOf[0]), "his brother shares the home and the phone, not the name");
    }

    [Test]
    public void An_english_name_with_the_surname_joins_through_the_record_that_writes_both_names_and_a_sister_does_not()
    {
        var model = Model();
        MatchRecord[] records =
        [
            Record(0, "JPN", "TAN CHEE CHOON", "1986-05-20", "860520018138", address: "NO 232, JALAN MERANTI 25"),
            Record(1, "KWSP", "MICHELLE TAN CHEE CHOON", "20/05/1986", "860520-01-8138", address: "NO 232 JLN MERANTI 25", phone: "019-449 0687"),
            Record(2, "TNB", "Michelle Tan", address: "No 232, Jalan Meranti 25", phone: "60194490687"),
            Record(3, "JPN", "TAN CHEE MENG", "1990-01-07", "900107018134", address: "NO 232, JALAN MERANTI 25"),
            Record(4, "TNB", "TAN CHEE", address: "NO 232, JALAN MERANTI 25"),
        ];
        Assert.That(model.Weight(records[0], records[2]), Is.LessThan(new MatchSettings().CrossFloorWeight), "the registry's name and the account's are apart");

        var clusterOf = Cluster(records, model);

        Assert.That(clusterOf[1], Is.EqualTo(clusterOf[0]));
        Assert.That(clusterOf[2], Is.EqualTo(clusterOf[0]), "MICHELLE TAN CHEE CHOON holds both names");
        Assert.That(clusterOf[3], Is.Not.EqualTo(clusterOf[0]), "her sister");
    }

    [Test]
    public void An_english_name_joins_through_the_record_that_holds_it_with_the_registered_mykad_and_a_sister_does_not()
    {
        var model = Model();
        MatchRecord[] records =
        [
            Record(0, "JPN", "CHAN AH KAH", "1975-05-17", "750517035451", address: "NO 3, JALAN SERAYA 9"),
            Record(1, "KWSP", "STEVEN CHAN", "17/05/1975", "750517-03-5451", address: "NO 3 JLN SERAYA 9", phone: "019-913 6957"),
            Record(2, "TNB", "Steven Chan", address: "No 3, Jalan Seraya 9", phone: "+60199136957"),
            Record(3, "TNB", "Chan Ah Mei", address: "No 3, Jalan Seraya 9", phone: "+60199136957"),
        ];
        var floor = new MatchSettings().CrossFloorWeight;
        Assert.That(model.Weight(records[0], records[2]), Is.LessThan(floor), "the registry's name and the account's are apart");

        var clusterOf = Cluster(records, model);

        Assert.That(clusterOf[1], Is.EqualTo(clusterOf[0]), "one MyKad, one birth date");
        Assert.That(clusterOf[2], Is.EqualTo(clusterOf[0]), "STEVEN CHAN holds the registered MyKad");
        Assert.That(clusterOf[3], Is.Not.EqualTo(clusterOf[0]), "his sister's account at the same home, on the same phone");
    }

    [Test]
    public void A_bare_account_in_an_english_name_joins_the_one_person_of_its_surname_at_its_home()
    {
        var model = Model();
        MatchRecord[] home =
        [
            Record(0, "JPN", "CHIN HAO CHOON", "1973-09-01", "730901136775", address: "LOT 2979, JALAN SERAYA 3"),
            Record(1, "LHDN", "CHIN HAO CHOON", mykad: "730901-13-6775", address: "LOT 2979 JLN SERAYA 3", phone: "017-9165947"),
            Record(2, "TNB", "DANIEL CHIN", address: "Lot 2979, Jalan Seraya 3", phone: "+60179165947"),
            Record(3, "JPN", "LIM MEI LING", "1975-02-11", "750211136442", address: "LOT 2979, JALAN SERAYA 3"),
        ];
        Assert.That(model.Weight(home[0], home[2]), Is.LessThan(new MatchSettings().CrossFloorWeight), "pair by pair only a surname is shared");

        var clusterOf = Cluster(home, model);
        Assert.That(clusterOf[2], Is.EqualTo(clusterOf[0]), "the one CHIN at the home");
        Assert.That(clusterOf[3], Is.Not.EqualTo(clusterOf[0]), "his wife keeps her own surname");

        MatchRecord[] withBrother =
        [
            home[0], home[1], Record(2, "TNB", "DANIEL CHIN", address: "Lot 2979, Jalan Seraya 3"), home[3],
            Record(4, "JPN", "CHIN WEI MING", "1978-04-30", "780430136119", address: "LOT 2979, JALAN SERAYA 3"),
        ];
        clusterOf = Cluster(withBrother, model);
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[0]), "two CHINs at the home and no phone: the account could be either's");
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[4]));

        MatchRecord[] otherShortName = [.. home, Record(4, "KWSP", "MICHAEL CHIN", "01/09/1973", "730901-13-6775", address: "LOT 2979 JLN SERAYA 3")];
        clusterOf = Cluster(otherShortName, model);
        Assert.That(clusterOf[4], Is.EqualTo(clusterOf[0]), "his pension record, by its MyKad");
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[0]), "he goes by MICHAEL: DANIEL CHIN is someone else");
    }

    [Test]
    public void A_welfare_record_in_an_english_name_with_a_birth_date_joins_the_one_person_of_its_surname_born_that_day_at_its_home()
    {
        var model = Model();
        const string flat = "E-12-5, BLOK E, PANGSAPURI JAYA PERDANA";
        MatchRecord[] home =
        [
            Record(0, "JPN", "LOH KAI MING", "1999-10-22", "991022064986", address: flat),
            Record(1, "JKM", "JESSICA LOH", "1999-10-22", address: flat, phone: "0162367091"),
            Record(2, "JPN", "LOH KAI WEN", "2002-03-14", "020314064990", address: flat),
        ];
        Assert.That(model.Score(home[0], home[1]).Probability, Is.LessThan(0.5), "pair by pair a surname, a birth date and a home: what twins share");

        var clusterOf = Cluster(home, model);
        Assert.That(clusterOf[1], Is.EqualTo(clusterOf[0]), "the one LOH at the home born that day; her brother was born another");
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[0]));

        MatchRecord[] twins = [.. home, Record(3, "JPN", "LOH KAI LING", "1999-10-22", "991022064988", address: flat)];
        clusterOf = Cluster(twins, model);
        Assert.That(clusterOf[1], Is.Not.EqualTo(clusterOf[0]).And.Not.EqualTo(clusterOf[3]), "twins: which one is JESSICA is unknown");

        MatchRecord[] otherSpelling =
        [
            Record(0, "JPN", "CHUA YEN KIT", "2011-08-15", "110815101180", address: "F-17-8, BLOK F, PANGSAPURI SERI"),
            Record(1, "JKM", "KAREN CAI", "2011-08-15", address: "F-17-8, BLOK F, PANGSAPURI SERI", phone: "0165616725"),
        ];
        Assert.That(Cluster(otherSpelling, model)[1], Is.EqualTo(0), "CAI is CHUA in Mandarin");

        MatchRecord[] shortened =
        [
            Record(0, "JPN", "LOH KAI MING", "1999-10-22", "991022064986", address: flat),
            Record(1, "JKM", "JESSICA LOH", "1999-10-22", address: "E-12-5, BLOK E, PSRI JAYA PERDANA", phone: "0162367091"),
        ];
        Assert.That(Cluster(shortened, model)[1], Is.EqualTo(0), "PSRI, a short form the normaliser does not know, is the same flat");
    }

    [Test]
    public void An_account_and_a_form_in_one_english_name_join_as_one_account_the_one_person_of_its_surname_born_that_day()
    {
        var model = Model();
        const string house = "NO 56, JALAN KEMBOJA 16";
        MatchRecord[] home =
        [
            Record(0, "JPN", "TEO YAN LIANG", "1969-06-21", "690621100881", address: house),
            Record(1, "JKM", "DANIEL TEO", "1969-06-21", address: "NO 56, JLN KEMBOJA 16", phone: "012-7376406"),
            Record(2, "TNB", "DANIEL TEO", address: house, phone: "0127376406"),
            Record(3, "JPN", "TEO YAN KAI", "1999-07-04", "990704104003", address: house),
        ];
        var clusterOf = Cluster(home, model);
        Assert.That(clusterOf[2], Is.EqualTo(clusterOf[1]), "the account and the form: one name, one phone");
        Assert.That(clusterOf[1], Is.EqualTo(clusterOf[0]), "together still an account: the one TEO at the home born that day");
        Assert.That(clusterOf[3], Is.Not.EqualTo(clusterOf[0]), "his son was born another day");

        MatchRecord[] twoNames = [.. home[..3], Record(3, "JKM", "DANNY TEO", address: house, phone: "0127376406")];
        clusterOf = Cluster(twoNames, model);
        Assert.That(clusterOf[3], Is.Not.EqualTo(clusterOf[0]), "another English name is not his account");
    }

    [Test]
    public void Of_two_people_of_its_surname_at_home_an_account_joins_the_one_whose_records_alone_hold_its_phone()
    {
        var model = Model();
        const string house = "NO 155, JALAN INDAH 19";
        MatchRecord[] home =
        [
            Record(0, "JPN", "GOH CHEE HAO", "1973-06-23", "730623122725", address: house),
            Record(1, "KWSP", "GOH CHEE HAO", "1973-06-23", "730623-12-2725", phone: "017-5553399"),
            Record(2, "JPN", "GOH KEONG MING", "1996-03-22", "960322124431", address: house),
            Record(3, "LHDN", "GOH KEONG MING", "1996-03-22", "960322124431", address: house, phone: "019-1898020"),
            Record(4, "TNB", "KELVIN GOH", address: house, phone: "0175553399"),
        ];
        var clusterOf = Cluster(home, model);
        Assert.That(clusterOf[4], Is.EqualTo(clusterOf[0]), "his pension record holds the account's phone, his son's records do not");
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[0]));

        MatchRecord[] homePhone = [.. home[..3], Record(3, "LHDN", "GOH KEONG MING", "1996-03-22", "960322124431", address: house, phone: "0175553399"), home[4]];
        clusterOf = Cluster(homePhone, model);
        Assert.That(clusterOf[4], Is.Not.EqualTo(clusterOf[0]).And.Not.EqualTo(clusterOf[2]), "a phone both men's records give is the home's: either could hold the account");
    }

    [Test]
    public void An_english_given_name_says_a_sex_an_account_is_not_joined_against()
    {
        var model = Model();
        const string house = "LOT 2075, KAMPUNG MERANTI";
        MatchRecord[] onlyAWoman =
        [
            Record(0, "JPN", "KOH XIN SIEW", "1989-09-10", "890910124862", address: house),
            Record(1, "TNB", "MICHAEL KOH", address: house, phone: "0136975858"),
        ];
        Assert.That(onlyAWoman[0].Sex, Is.EqualTo('F'), "by her MyKad's last digit");
        Assert.That(Cluster(onlyAWoman, model)[1], Is.Not.EqualTo(0), "MICHAEL is a man's name: not the one KOH at the home, a woman");

        MatchRecord[] aMan = [Record(0, "JPN", "KOH HUI LI", "1988-06-07", "880607022215", address: house), onlyAWoman[1]];
        Assert.That(Cluster(aMan, model)[1], Is.EqualTo(0), "the one KOH at the home is a man");
        Assert.That(EnglishGivenNames.SexOf("JAMIE"), Is.EqualTo('\0'), "a name used for both says nothing");
    }

    [Test]
    public void A_bare_account_in_a_married_name_joins_her_at_another_home_by_the_phone_only_her_records_hold()
    {
        var model = Model();
        MatchRecord[] records =
        [
            Record(0, "JPN", "MAGDALENE ANAK UNTING", "1954-01-28", "540128134282", address: "NO 27, JALAN ANGSANA 24"),
            Record(1, "TNB", "Magdalene Anak Unting", mykad: "540128134282", address: "NO 27, JLN ANGSANA 24", phone: "010-8116738"),
            Record(2, "TNB", "MAGDALENE PAUL", address: "LOT 2115, KG HARMONI", phone: "0108116738"),
        ];
        Assert.That(model.Score(records[1], records[2]).Probability, Is.LessThan(0.5), "pair by pair a phone and a given name");
        var clusterOf = Cluster(records, model);
        Assert.That(clusterOf[2], Is.EqualTo(clusterOf[0]), "her account at the home she moved to, in her husband's name");

        MatchRecord[] daughter =
        [
            .. records,
            Record(3, "JPN", "MAGDALENE ANAK PAUL", "1980-05-02", "800502134288", address: "LOT 2115, KG HARMONI", phone: "010-8116738"),
        ];
        clusterOf = Cluster(daughter, model);
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[0]), "a daughter named for PAUL gives that phone too: the account could be hers");

        MatchRecord[] man = [records[0], Record(1, "TNB", "UNTING ANAK JUGAH", mykad: "500311134287", address: "NO 27, JLN ANGSANA 24", phone: "010-8116738"), records[2]];
        clusterOf = Cluster(man, model);
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[1]).And.Not.EqualTo(clusterOf[0]), "the phone is a man's, not hers");
    }

    [Test]
    public void A_bare_account_in_a_wifes_name_and_her_husbands_joins_her_at_their_home()
    {
        var model = Model();
        const string house = "NO 72, JALAN MELATI 16";
        MatchRecord[] home =
        [
            Record(0, "JPN", "MARY ANAK BUJANG", "1959-08-07", "590807142972", address: house),
            Record(1, "JPN", "PETER ANAK NYALAU", "1959-09-07", "590907141439", address: house),
            Record(2, "JPN", "SUSAN ANAK PETER", "2015-06-07", "150607113860", address: house),
            Record(3, "TNB", "MARY PETER", address: "No 72, Jln Melati 16", phone: "0105526416"),
        ];
        Assert.That(model.Weight(home[0], home[3]), Is.LessThan(new MatchSettings().CrossFloorWeight), "pair by pair only a given name is shared");

        var clusterOf = Cluster(home, model);
        Assert.That(clusterOf[3], Is.EqualTo(clusterOf[0]), "the one MARY at the home, where a PETER lives");
        Assert.That(clusterOf[3], Is.Not.EqualTo(clusterOf[1]).And.Not.EqualTo(clusterOf[2]));

        MatchRecord[] daughter = [.. home, Record(4, "JPN", "MARY ANAK PETER", "1990-01-05", "900105141558", address: house)];
        clusterOf = Cluster(daughter, model);
        Assert.That(clusterOf[3], Is.Not.EqualTo(clusterOf[0]), "his daughter MARY ANAK PETER could own it as well (her name's own match)");

        MatchRecord[] noHusband =
        [
            Record(0, "JPN", "MARY ANAK BUJANG", "1959-08-07", "590807142972", address: house),
            Record(1, "TNB", "MARY PETER", address: "No 72, Jln Melati 16", phone: "0105526416"),
        ];
        Assert.That(Cluster(noHusband, model)[1], Is.EqualTo(1), "no PETER at the home: nothing says PETER is her husband");

        MatchRecord[] herPhone = [.. noHusband, Record(2, "LHDN", "MARY ANAK BUJANG", "1959-08-07", "590807142972", phone: "010-5526416")];
        clusterOf = Cluster(herPhone, model);
        Assert.That(clusterOf[1], Is.EqualTo(clusterOf[0]), "no PETER there, but her tax record holds the account's phone");

        MatchRecord[] chinese =
        [
            Record(0, "JKM", "CHEAH LEE MUN PEI", "1955-07-20", address: "NO 136, JALAN SETIA 8", phone: "0181977012"),
            Record(1, "TNB", "Cheah Wei", address: "No 136, Jalan Setia 8", phone: "0181977012"),
        ];
        Assert.That(Cluster(chinese, model)[1], Is.EqualTo(1), "CHEAH is her husband's surname in front of her name, and his: the account is his");

        MatchRecord[] indian =
        [
            Record(0, "JPN", "LAKSHMI A/P MUTHU", "1971-03-02", "710302085512", address: "NO 8, JALAN KENANGA 2"),
            Record(1, "JPN", "RAJU A/L SUPPIAH", "1968-11-20", "681120085137", address: "NO 8, JALAN KENANGA 2"),
            Record(2, "TNB", "LAKSHMI RAJU", address: "NO 8, JLN KENANGA 2"),
        ];
        Assert.That(Cluster(indian, model)[2], Is.EqualTo(0), "an Indian wife by her husband's name where her father's stood");
    }

    [Test]
    public void A_welfare_record_with_a_newborns_mykad_joins_the_registrys_record_of_her_birth_certificate()
    {
        var model = Model();
        const string flat = "F-5-14, BLOK F, PANGSAPURI SERI";
        MatchRecord Registered(int index, string name, string born, string certificate)
        {
            var facts = new PersonFacts { FullName = name, DateOfBirth = born, Address = flat, Postcode = "48000", City = "RAWANG", State = "SELANGOR" };
            facts.Identifiers.Add(new PersonIdentifier("BIRTH_CERT", certificate));
            return MatchRecord.From(index, "JPN", index.ToString(System.Globalization.CultureInfo.InvariantCulture), facts, s_today);
        }
        MatchRecord[] home =
        [
            Registered(0, "TAN YAN LIANG", "2025-01-24", "AB594171"),
            Record(1, "JKM", "IRENE TAN", "2025-01-24", "250124054714", address: flat, phone: "0178830645"),
            Record(2, "JPN", "TAN WEI JIE", "1990-03-02", "900302105521", address: flat),
        ];

        var clusterOf = Cluster(home, model);
        Assert.That(clusterOf[1], Is.EqualTo(clusterOf[0]), "her MyKad and the registry's birth certificate cannot disagree");
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[0]));

        MatchRecord[] twins = [.. home, Registered(3, "TAN YAN MEI", "2025-01-24", "AB594190")];
        clusterOf = Cluster(twins, model);
        Assert.That(clusterOf[1], Is.Not.EqualTo(clusterOf[0]).And.Not.EqualTo(clusterOf[3]), "twins: which one is IRENE is unknown");

        MatchRecord[] withMyKad = [Record(0, "JPN", "TAN YAN LIANG", "2025-01-24", "250124054716", address: flat), home[1]];
        Assert.That(Cluster(withMyKad, model)[1], Is.EqualTo(1), "two MyKads: the numbers decide, not the home");
    }

    [Test]
    public void A_bare_accounts_surname_is_its_last_word()
    {
        var model = Model();
        MatchRecord[] home =
        [
            Record(0, "JPN", "SIM SENG KENG", "1986-06-14", "860614015524", address: "NO 17, JALAN MAWAR 26"),
            Record(1, "TNB", "Catherine Sim Seng Keng", address: "No 17, Jalan Mawar 26", phone: "0123350881"),
            Record(2, "TNB", "CATHERINE NUR", address: "No 17, Jalan Mawar 26", phone: "0145830022"),
        ];

        var clusterOf = Cluster(home, model);

        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[1]), "CATHERINE is her given name, not a surname NUR could share");
    }

    [Test]
    public void A_name_that_changed_under_the_same_mykad_and_birth_date_still_links()
    {
        var model = Model();
        var registered = Record(0, "JPN", "WONG KOK JIA", "2005-12-12", "051212015167", address: "NO 185, JALAN CEMPAKA 13");
        // He moved since: the pension fund holds his new address in another state, which shares nothing with the registry's.
        MatchRecord Moved(int index, string mykad) => MatchRecord.From(index, "KWSP", $"{index}", new PersonFacts
        {
            FullName = "KELVIN WONG",
            DateOfBirth = "12/12/2005",
            Address = "NO 205 JLN INDAH 16",
            Postcode = "75021",
            City = "MELAKA",
            State = "MELAKA",
            Identifiers = { new PersonIdentifier("MYKAD", mykad) },
        }, s_today);
        var (pension, stranger) = (Moved(1, "051212-01-5167"), Moved(2, "051212-01-5183"));
        double NameCounts(MatchRecord other) => model.Score(registered, other).Fields.Single(f => f.Field == "full_name").Weight;
        var conversion = Math.Round(Math.Log2(0.0104 / 0.000906), 3);

        Assert.That(NameCounts(pension), Is.EqualTo(conversion), "a changed name, weighed as a conversion name is");
        Assert.That(model.Weight(registered, pension), Is.GreaterThanOrEqualTo(Clustering.Weight(new MatchSettings().LinkProbability)));
        Assert.That(NameCounts(stranger), Is.EqualTo(Math.Round(Math.Log2(0.0073 / 0.654956), 3)), "another MyKad of that birth date: a different name");
        Assert.That(model.Weight(registered, stranger), Is.LessThan(new MatchSettings().CrossFloorWeight));
        var unnamed = MatchRecord.From(3, "KWSP", "3", new PersonFacts { DateOfBirth = "2005-12-12", Identifiers = { new PersonIdentifier("MYKAD", "051212015167") } }, s_today);
        Assert.That(NameCounts(unnamed), Is.Zero, "no name, nothing to hold up");
    }

    [Test]
    public void A_changed_name_under_the_registered_mykad_joins_past_a_typo_record_of_the_old_name()
    {
        var model = Model();
        MatchRecord[] records =
        [
            Record(0, "JPN", "TAN AH KOW", "1975-04-02", "750402105531"),
            Record(1, "LHDN", "TAN AH KOW", "1975-04-02", "750402105581"),
            Record(2, "KWSP", "MUHAMMAD ARIF BIN ABDULLAH", "1975-04-02", "750402105531"),
        ];
        // The hub knows which numbers the registration department holds; match-csv does not.
        records[0].VerifiedMyKad = records[2].VerifiedMyKad = "750402105531";

        var clusterOf = Cluster(records, model);

        Assert.That(model.Weight(records[1], records[2]), Is.LessThan(new MatchSettings().CrossFloorWeight), "the typo against the new name: two numbers, two names");
        Assert.That(clusterOf, Is.All.EqualTo(clusterOf[0]), "the converted name carries the registered MyKad the person's cluster holds");

        // Without the registration's word the old name's other record still bridges: it holds the conversion name's
        // number under the typo record's name. A converted twin with a record carrying his number is far rarer.
        records[2].VerifiedMyKad = null;
        records[0].VerifiedMyKad = null;
        clusterOf = Cluster(records, model);
        Assert.That(clusterOf, Is.All.EqualTo(clusterOf[0]), "TAN AH KOW's two numbers one digit apart, one of them MUHAMMAD ARIF's");

        MatchRecord[] twins = [records[0], records[1], Record(2, "KWSP", "ABDUL RAHMAN BIN ISMAIL", "1975-04-02", "750402105531")];
        clusterOf = Cluster(twins, model);
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[1]), "a name that is no conversion of TAN AH KOW leaves the numbers as the names made them");
    }

    [Test]
    public void A_converts_account_joins_past_a_typo_record_whose_name_only_the_registry_writes_in_full()
    {
        var model = Model();
        MatchRecord[] records =
        [
            Record(0, "JPN", "MURUGAN A/L KARTHIK", "1980-06-08", "800608025391", address: "NO 203, JALAN DELIMA 9 TAMAN BANDAR BARU"),
            Record(1, "JKM", "MURUGAN", "1980-06-08", "800608025381", address: "NO. 203, JLN DELIMA 9, TMN BANDAR BARU"),
            Record(2, "TNB", "  Muhammad  Arif  Bin  Abdullah  ", mykad: "800608 02 5391", address: "No. 203, Jln Delima 9, Tmn Bandar Baru"),
        ];
        // MURUGAN alone is no name a conversion is told from (no A/L, no Chinese surname); the registry's name is.
        Assert.That(Comparisons.Converted(records[2], records[1]), Is.False);
        Assert.That(model.Weight(records[1], records[2]), Is.LessThan(new MatchSettings().CrossFloorWeight), "the typo against the new name: two numbers, two names");

        var clusterOf = Cluster(records, model);
        Assert.That(clusterOf, Is.All.EqualTo(clusterOf[0]), "the account holds the registry's MyKad under the convert's name of the registry's MURUGAN");

        MatchRecord[] lodger = [records[0], records[1], Record(2, "TNB", "Ahmad Faiz Bin Ismail", mykad: "800608 02 5391", address: "No. 203, Jln Delima 9")];
        clusterOf = Cluster(lodger, model);
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[1]), "a name that is no conversion of MURUGAN A/L KARTHIK leaves the numbers as the names made them");
    }

    [Test]
    public void Nameless_forms_born_the_day_twin_sisters_were_join_neither_nor_each_other_and_beside_a_twin_brother_join_the_sister()
    {
        var model = Model();
        MatchRecord Form(int index, string name, string sex, string? mykad = null)
        {
            var facts = new PersonFacts
            {
                FullName = name,
                DateOfBirth = "2026-05-21",
                Sex = sex,
                Phone = "0193341480",
                Address = "NO. 37, JLN TUN RAZAK 8, TMN SRI GOMBAK",
                Postcode = "48000",
                City = "RAWANG",
                State = "SELANGOR",
            };
            if (mykad is not null)
            {
                facts.Identifiers.Add(new PersonIdentifier("MYKAD", mykad));
            }
            return MatchRecord.From(index, "JKM", index.ToString(System.Globalization.CultureInfo.InvariantCulture), facts, s_today);
        }
        MatchRecord[] sisters =
        [
            Record(0, "JPN", "CHENG CHEE YOKE", "2026-05-21", "260521424910", address: "NO 37, JALAN TUN RAZAK 8 TAMAN SRI GOMBAK"),
            Record(1, "JPN", "CHENG CHEE BEE", "2026-05-21", "260521424912", address: "NO 37, JALAN TUN RAZAK 8 TAMAN SRI GOMBAK"),
            Form(2, "Cheng Chee Yoke", "PEREMPUAN", "260521424910"),
            Form(3, "Baby Girl", "PEREMPUAN"),
        ];
        var clusterOf = Cluster(sisters, model);
        Assert.That(clusterOf[2], Is.EqualTo(clusterOf[0]), "her own form, her MyKad");
        Assert.That(clusterOf[1], Is.Not.EqualTo(clusterOf[0]), "twin sisters");
        Assert.That(clusterOf[3], Is.Not.EqualTo(clusterOf[0]).And.Not.EqualTo(clusterOf[1]), "a girl born that day at that home: either sister");

        MatchRecord[] brother =
        [
            sisters[0], Record(1, "JPN", "CHENG CHEE HONG", "2026-05-21", "260521424911", address: "NO 37, JALAN TUN RAZAK 8 TAMAN SRI GOMBAK"),
            Form(2, "Cheng Chee Hong", "LELAKI", "260521424911"), Form(3, "Baby Girl", "PEREMPUAN"),
        ];
        clusterOf = Cluster(brother, model);
        Assert.That(clusterOf[3], Is.EqualTo(clusterOf[0]), "the one girl born that day at that home");

        MatchRecord[] twoForms = [sisters[0], sisters[1], Form(2, "Baby Girl", "PEREMPUAN"), Form(3, "Baby Girl", "PEREMPUAN")];
        clusterOf = Cluster(twoForms, model);
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[0]).And.Not.EqualTo(clusterOf[1]));
        Assert.That(clusterOf[3], Is.Not.EqualTo(clusterOf[0]).And.Not.EqualTo(clusterOf[1]));
        Assert.That(clusterOf[3], Is.Not.EqualTo(clusterOf[2]), "two girls' forms, or one girl's twice: nothing says which");
    }

    [Test]
    public void A_converts_tax_record_born_the_day_twin_sisters_were_waits_for_a_steward_and_beside_one_sister_joins_her()
    {
        var model = Model();
        var converted = Record(2, "LHDN", "Cik Nur Suriani Tse Bt Abdullah", "1985-05-20", address: "NO 184, JALAN PUCHONG 8");
        MatchRecord[] twins =
        [
            Record(0, "JPN", "TSE CHIN WEI", "1985-05-20", "850520066146", address: "NO 184, JALAN PUCHONG 8"),
            Record(1, "JPN", "TSE CHIN KHAI", "1985-05-20", "850520066148", address: "NO 184, JALAN PUCHONG 8"),
            converted,
        ];
        var clusterOf = Cluster(twins, model);
        Assert.That(clusterOf[1], Is.Not.EqualTo(clusterOf[0]), "twin sisters");
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[0]).And.Not.EqualTo(clusterOf[1]), "either sister's new name");

        clusterOf = Cluster([twins[0], Record(1, "JPN", "TSE KOK WAH", "1958-01-02", "580102066151", address: "NO 184, JALAN PUCHONG 8"), converted], model);
        Assert.That(clusterOf[2], Is.EqualTo(clusterOf[0]), "the one TSE woman born that day");
    }

    [Test]
    public void Two_typos_of_one_number_under_one_name_join_and_a_typo_that_is_a_twins_number_does_not_bridge_the_twins()
    {
        var model = Model();
        MatchRecord[] typos =
        [
            Record(0, "JPN", "KHAIRUL BIN ABDUL MAJID", "1995-01-12", "950112357049"),
            Record(1, "KWSP", "KHAIRUL BIN ABDUL MAJID", "1995-01-12", "950112357029"),
            Record(2, "LHDN", "Khairul Bin Ab Majid", "1995-01-12", "950122357049"),
        ];
        Assert.That(model.Weight(typos[1], typos[2]), Is.LessThan(new MatchSettings().CrossFloorWeight), "two typos: two edits apart");
        Assert.That(Cluster(typos, model), Is.All.EqualTo(0), "each a typo of the registration's number");

        MatchRecord[] twins =
        [
            Record(0, "JPN", "AHMAD FAIZ BIN ISMAIL", "2015-03-12", "150312105673"),
            Record(1, "LHDN", "AHMAD FAIZ BIN ISMAIL", "2015-03-12", "150312105675"),
            Record(2, "JPN", "AHMAD FARID BIN ISMAIL", "2015-03-12", "150312105675"),
        ];
        var clusterOf = Cluster(twins, model);
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[0]), "Faiz's record with Farid's number does not make them one");
    }

    [Test]
    public void A_typo_of_the_number_under_the_registered_name_joins_past_her_english_name_where_a_record_writes_both_names()
    {
        var model = Model();
        const string flat = "E-19-11, BLOK E, PANGSAPURI JAYA PERDANA";
        MatchRecord[] records =
        [
            Record(0, "JPN", "LAU JUN SENG", "1966-10-09", "661009011044", address: flat),
            Record(1, "LHDN", "SHARON LIEW", "1966-10-09", "661009011044", address: flat, phone: "0132610434"),
            Record(2, "KWSP", "LAU JUN SENG", "1966-10-09", "661009011644"),
            Record(3, "JKM", "SHARON LAU JUN SENG", "1966-10-09", address: flat, phone: "0132610434"),
        ];
        Assert.That(model.Weight(records[1], records[2]), Is.LessThan(new MatchSettings().CrossFloorWeight),
            "a number one digit off under another name: the identity guard's two people");

        Assert.That(Cluster(records, model), Is.All.EqualTo(0), "SHARON LAU JUN SENG is both names: the digit is a typo");
        Assert.That(Cluster(records[..3], model)[2], Is.Not.EqualTo(0), "without her, which names are one person's is unknown");
    }

    [Test]
    public void A_typo_of_the_number_joins_past_an_english_or_married_name_that_holds_the_number_and_keeps_the_name()
    {
        var model = Model();
        const string house = "NO 194, JALAN BESTARI 9";
        MatchRecord[] english =
        [
            Record(0, "JPN", "NG PEI KIT", "1999-10-10", "991010063104", address: house),
            Record(1, "JKM", "IRENE NG", "1999-10-10", "991010063104", address: house, phone: "060870754"),
            Record(2, "KWSP", "NG PEI KIT", "19991010", "991010-06-3184"),
        ];
        Assert.That(model.Weight(english[1], english[2]), Is.LessThan(new MatchSettings().CrossFloorWeight),
            "a serial one digit off under another name: the identity guard's two people");
        Assert.That(Cluster(english, model), Is.All.EqualTo(0), "IRENE NG is NG PEI KIT's English name and holds her number: the digit is a typo");

        MatchRecord[] married =
        [
            Record(0, "JPN", "MAGDALENE ANAK JUGAH", "1987-12-06", "871206123822", address: "NO 24, JALAN MELATI 1"),
            Record(1, "LHDN", "MAGDALENE BUJANG", "06/12/1987", "871206123822", address: "NO 24, JALAN MELATI 1"),
            Record(2, "JKM", "MAGDALENE ANAK JUGAH", "1987-12-06", "871206123282", address: "NO 24, JLN MELATI 1"),
        ];
        Assert.That(Cluster(married, model), Is.All.EqualTo(0), "her married name keeps MAGDALENE: the number two digits swapped is a typo");
    }

    [Test]
    public void Twins_whose_names_are_a_letter_apart_stay_two_people_by_their_mykads()
    {
        var model = Model();
        const string house = "NO 78, JALAN MELATI 22";
        var hanis = Record(0, "JPN", "HANIS BINTI RAMLI", "2004-08-25", "040825084884", address: house);
        var anis = Record(1, "JPN", "ANIS BINTI RAMLI", "2004-08-25", "040825084900", address: house);
        var linkWeight = Clustering.Weight(new MatchSettings().LinkProbability);

        Assert.That(model.Weight(hanis, anis), Is.LessThan(linkWeight), "two numbers of one birthday: twins");
        var (hanisAnywhere, anisAnywhere) = (Record(0, "JPN", "HANIS BINTI RAMLI", "2004-08-25", "040825084884"), Record(1, "JPN", "ANIS BINTI RAMLI", "2004-08-25", "040825084900"));
        Assert.That(model.Weight(hanis, anis), Is.LessThanOrEqualTo(model.Weight(hanisAnywhere, anisAnywhere)), "the home twins share says nothing for one person");
        Assert.That(model.Weight(hanis, Record(2, "KWSP", "ANIS BINTI RAMLI", "2004-08-25", "040825084884")), Is.GreaterThanOrEqualTo(linkWeight),
            "one number: a letter dropped from her name");
        Assert.That(model.Weight(hanis, Record(2, "JKM", "HANIS BINTI RAMLI", "2004-08-25", "040825084900", address: house)),
            Is.GreaterThan(model.Weight(hanis, anis)), "the same name written the same: not the rule's to say");
    }

    [Test]
    public void A_bare_account_in_a_childs_name_waits_for_review_and_in_an_adults_joins()
    {
        var model = Model();
        const string house = "NO 76, JALAN MELATI 1";
        var account = Record(1, "TNB", "John Anak John", address: "No 76, Jln Melati 1", phone: "0190110826");
        MatchRecord[] child = [Record(0, "JPN", "JOHN ANAK JOHN", "2023-07-25", "230725083643", address: house), account];
        Assert.That(model.Weight(child[0], account), Is.GreaterThanOrEqualTo(Clustering.Weight(new MatchSettings().LinkProbability)), "the name and the home");

        var result = Clustering.Cluster(child, [model.Score(child[0], account)], model, new MatchSettings());
        Assert.That(result.ClusterOf[1], Is.Not.EqualTo(result.ClusterOf[0]), "a toddler holds no electricity account: his father of his name does");
        Assert.That(result.Review.Select(r => r.Reason), Is.EqualTo(new[] { ReviewReason.Doubtful }), "a steward decides");

        MatchRecord[] adult = [Record(0, "JPN", "JOHN ANAK JOHN", "1983-07-25", "830725083643", address: house), account];
        Assert.That(Cluster(adult, model)[1], Is.EqualTo(0));

        MatchRecord[] childWithAnAdultsRecord = [child[0], account, Record(2, "KWSP", "JOHN ANAK JOHN", "1983-07-25", "830725-08-3643")];
        Assert.That(Cluster(childWithAnAdultsRecord, model)[1], Is.EqualTo(Cluster(childWithAnAdultsRecord, model)[2]), "the adult of the name takes it");
    }

    [Test]
    public void A_form_without_its_ic_and_a_slip_in_a_first_letter_joins_the_one_person_at_home_born_that_day()
    {
        var model = Model();
        const string house = "NO 106, JALAN ANGSANA 6";
        var registered = Record(0, "JPN", "YEO KAI MING", "1960-03-04", "600304101331", address: house);
        var form = Record(1, "JKM", "YEO KAI OING", "1960-03-04", address: house, phone: "062196453");
        Assert.That(model.Weight(registered, form), Is.LessThan(Clustering.Weight(new MatchSettings().LinkProbability)), "pair by pair OING is another name");

        Assert.That(Cluster([registered, form], model)[1], Is.EqualTo(0), "the one person at the home born that day");

        MatchRecord[] twins = [registered, Record(1, "JPN", "YEO KAI LING", "1960-03-04", "600304101333", address: house), Record(2, "JKM", "YEO KAI OING", "1960-03-04", address: house)];
        Assert.That(Cluster(twins, model)[2], Is.EqualTo(2), "twins born that day: either's");

        MatchRecord[] unregistered = [Record(0, "JPN", "YEO KAI MING", "1960-03-04", address: house), form];
        Assert.That(Cluster(unregistered, model)[1], Is.EqualTo(1), "no number on either side: a twin as likely as a slip");
    }

    [Test]
    public void An_account_in_a_married_name_joins_a_golden_record_that_holds_that_name_beside_her_own()
    {
        var model = Model();
        const string house = "NO 208, JALAN BAYU 9";
        var registry = new PersonFacts { FullName = "RITA ANAK AWANG", DateOfBirth = "1976-10-17" };
        (registry.Address, registry.Postcode, registry.City, registry.State) = (house, "48000", "RAWANG", "SELANGOR");
        registry.Identifiers.Add(new PersonIdentifier("MYKAD", "761017104194"));
        registry.Identifiers.Add(new PersonIdentifier("OLD_IC", "K7824125"));
        MatchRecord[] records =
        [
            MatchRecord.From(0, "JPN", "0", registry, s_today),
            Record(1, "KWSP", "RITA ANAK AWANG", "1976-10-17", "K7824125", phone: "0191843538"),
            Record(2, "LHDN", "RITA SAMBANG", "1976-10-17", "761017104194", address: house, phone: "0191843538"),
            Record(3, "TNB", "RITA SAMBANG", address: house, phone: "019-1843538"),
        ];
        // The account against her records in her own name: a clash the floor refuses (set where this model puts them).
        var settings = new MatchSettings { CrossFloorWeight = -5 };
        Assert.That(model.Weight(records[1], records[3]), Is.LessThan(settings.CrossFloorWeight), "pair by pair her own given name and a phone");
        var pairs = new List<ScoredPair>();
        for (var i = 0; i < records.Length; i++)
        {
            for (var j = i + 1; j < records.Length; j++)
            {
                pairs.Add(model.Score(records[i], records[j]));
            }
        }

        Assert.That(Clustering.Cluster(records, pairs, model, settings).ClusterOf, Is.All.EqualTo(0), "her golden record holds RITA SAMBANG beside RITA ANAK AWANG");
    }

    [Test]
    public void An_account_in_a_name_or_one_slip_from_it_joins_the_one_person_whose_records_hold_its_phone_and_a_brother_sharing_it_does_not()
    {
        var model = Model();
        MatchRecord[] records =
        [
            Record(0, "JPN", "LIM SENG HAO", "1960-09-26", "600926082330", address: "LOT 2325, KAMPUNG SERI"),
            Record(1, "LHDN", "LIM SENG HAO", "26/09/1960", "600926082330", address: "NO 243, JALAN BAYU 17", phone: "0197133401"),
            Record(2, "TNB", "DATO' Lim Seng Eao", address: "NO 243, JLN BAYU 17", phone: "019-7133401"),
        ];
        Assert.That(model.Score(records[1], records[2]).Probability, Is.LessThan(0.5), "pair by pair SENG EAO is another name, as SENG BAO would be");
        Assert.That(Cluster(records, model)[2], Is.EqualTo(0), "his mobile, on his records alone: a slip of the clerk's");

        MatchRecord[] dated = [records[0], records[1], Record(2, "JKM", "LIM SENG EAO", "1960-09-26", address: "LOT 9, KAMPUNG BARU", phone: "0197133401")];
        Assert.That(Cluster(dated, model)[2], Is.EqualTo(0), "a form with his birth date, at another home");
        MatchRecord[] otherDay = [records[0], records[1], Record(2, "JKM", "LIM SENG EAO", "1988-03-02", address: "LOT 9, KAMPUNG BARU", phone: "0197133401")];
        Assert.That(Cluster(otherDay, model)[2], Is.Not.EqualTo(0), "born another day: someone else with his phone");

        // A common name beside his own mobile at another home: pair by pair a namesake could hold both.
        MatchRecord[] moved =
        [
            Record(0, "TNB", "BUJANG ANAK JUGAH", mykad: "6040041", address: "E-5-10, BLOK E, PANGSAPURI PERMAI PERDANA", phone: "0192339772"),
            Record(1, "TNB", "Bujang Anak Jugah", address: "F-5-4, BLOK F, PSRI BUKIT BAYU", phone: "019-2339772"),
        ];
        Assert.That(Cluster(moved, model)[1], Is.EqualTo(0), "his account at the flat he moved to: the phone is on his records alone");

        MatchRecord[] brother =
        [
            .. records,
            Record(3, "JPN", "LIM SENG BAO", "1963-01-14", "630114082331", address: "NO 243, JALAN BAYU 17", phone: "0197133401"),
        ];
        var clusterOf = Cluster(brother, model);
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[0]).And.Not.EqualTo(clusterOf[3]), "the brothers' records share the phone: either's slip");
    }

    [Test]
    public void An_account_in_a_persons_whole_name_joins_him_by_the_phone_his_household_shares_and_not_by_an_offices()
    {
        var model = Model();
        const string house = "NO 8, JALAN RAMBAI 19";
        MatchRecord[] records =
        [
            Record(0, "JPN", "SOMCHAI SINNAPAH", "1992-08-08", "920808394255", address: house),
            Record(1, "JKM", "Somchai Sinnapah", "1992-08-08", "920808394255", address: house, phone: "0164262604"),
            Record(2, "JKM", "Teresa Sinnapah", "1991-12-27", "911227086788", address: house, phone: "0164262604"),
            Record(3, "TNB", "Sinnapah Somchai", address: "NO 141, JALAN JATI 2", phone: "016-4262604"),
        ];
        var clusterOf = Cluster(records, model);
        Assert.That(clusterOf[3], Is.EqualTo(clusterOf[0]), "his whole name, and his wife's name is nothing like it: his old account");
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[0]));

        MatchRecord[] sonOfTheName = [.. records, Record(4, "JPN", "SOMCHAI SINNAPAH", "2015-03-02", "150302084411", address: house, phone: "0164262604")];
        clusterOf = Cluster(sonOfTheName, model);
        Assert.That(clusterOf[3], Is.Not.EqualTo(clusterOf[0]).And.Not.EqualTo(clusterOf[4]), "two of the name share the phone: either's");

        // An agent's number on accounts in several towns is no household's.
        MatchRecord Elsewhere(int index, string name, string postcode) => MatchRecord.From(index, "TNB", index.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new PersonFacts { FullName = name, Address = "NO 1, JALAN DAMAI", Postcode = postcode, Phone = "0164262604" }, s_today);
        MatchRecord[] office = [records[0], records[1], Elsewhere(2, "TEO AH ZHI", "10180"), records[3], Elsewhere(4, "MUHAMMAD OSMAN", "54150")];
        clusterOf = Cluster(office, model);
        Assert.That(clusterOf[3], Is.Not.EqualTo(clusterOf[0]), "the phone is on accounts in two other towns");
    }

    [Test]
    public void Twins_records_do_not_join_through_what_their_household_shares()
    {
        var model = Model();
        MatchRecord[] records =
        [
            Record(0, "JPN", "AHMAD FAIZ BIN ISMAIL", "2015-03-12", "150312105673", address: "NO 12, JALAN MERANTI 3"),
            Record(1, "JPN", "AHMAD FARID BIN ISMAIL", "2015-03-12", "150312105675", address: "NO 12, JALAN MERANTI 3"),
            Record(2, "JKM", "Ahmad Faiz Bin Ismail", "2015-03-12", phone: "0123456789"),
            Record(3, "JKM", "Ahmad Farid Bin Ismail", "2015-03-12", phone: "0123456789"),
            Record(4, "TNB", "Ahmad", address: "No 12, Jalan Meranti 3", phone: "0123456789"),
        ];

        var clusterOf = Cluster(records, model);

        Assert.That(clusterOf[1], Is.Not.EqualTo(clusterOf[0]), "the twins");
        Assert.That(clusterOf[3], Is.Not.EqualTo(clusterOf[2]), "the twins' welfare records");
    }

    [Test]
    public void A_bare_account_joins_the_one_person_at_its_home_whose_conversion_kept_its_surname()
    {
        var model = Model();
        const string house = "NO 103, JALAN SETIA 7";
        MatchRecord[] home =
        [
            Record(0, "JPN", "NUR ROSNAH ONG BINTI ABDULLAH", "1960-11-03", "601103042388", address: house),
            Record(1, "JPN", "LEE YI LAY", "1954-12-03", "541203044759", address: house),
            Record(2, "JPN", "LEE SZE MEI", "2000-02-14", "000214041406", address: house),
            Record(3, "TNB", "ONG KOK SZE", address: "No 103, Jalan Setia 7", phone: "0124348408"),
        ];
        Assert.That(model.Weight(home[0], home[3]), Is.LessThan(Clustering.Weight(new MatchSettings().ReviewProbability)), "pair by pair a surname and a home");

        var clusterOf = Cluster(home, model);
        Assert.That(clusterOf[3], Is.EqualTo(clusterOf[0]), "the one ONG at the home, her name before she converted");
        Assert.That(clusterOf[1], Is.Not.EqualTo(clusterOf[0]));

        MatchRecord[] withBrother = [.. home, Record(4, "JPN", "ONG KOK WAI", "1963-05-01", "630501045113", address: house)];
        clusterOf = Cluster(withBrother, model);
        Assert.That(clusterOf[3], Is.Not.EqualTo(clusterOf[0]).And.Not.EqualTo(clusterOf[4]), "two ONGs at the home: the account could be either's");

        MatchRecord[] theOtherWay =
        [
            Record(0, "JPN", "LIEW YI NYUK", "1965-05-26", "650526014773", address: "B-10-11, BLOK B, PANGSAPURI PERMATA"),
            Record(1, "TNB", "Muhammad Adam Liew Bin Abdullah", address: "B-10-11, Blk B, P/Puri Permata"),
        ];
        Assert.That(Cluster(theOtherWay, model)[1], Is.EqualTo(0), "the account in his Muslim name, the registry's in his old one");
    }

    [Test]
    public void A_bare_account_in_a_mans_conversion_name_joins_the_one_man_at_home_with_the_kept_surname_though_his_daughters_carry_it()
    {
        var model = Model();
        const string house = "D-2-5, BLOK D, PPR SETIA ALAM";
        MatchRecord[] home =
        [
            Record(0, "JPN", "WANG KHAI HONG", "1957-08-19", "570819062109", address: house),
            Record(1, "JPN", "CHONG KIAT TZE", "1957-09-29", "570929060656", address: house),
            Record(2, "JPN", "VIVIAN WANG LIAN HONG", "1999-05-19", "990519103012", address: house),
            Record(3, "JPN", "WANG KAI WEI", "1978-11-30", "781130068166", address: house),
            Record(4, "TNB", "Muhammad Hisham Wang Bin Abdullah", address: "D-2-5, Blok D, Ppr Setia Alam"),
        ];

        var clusterOf = Cluster(home, model);
        Assert.That(clusterOf[4], Is.EqualTo(clusterOf[0]), "BIN: the account is a man's, and the daughters are the home's other WANGs");
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[0]));

        MatchRecord[] withSon = [.. home, Record(5, "JPN", "WANG JUN HAO", "1990-04-02", "900402065113", address: house)];
        clusterOf = Cluster(withSon, model);
        Assert.That(clusterOf[4], Is.Not.EqualTo(clusterOf[0]).And.Not.EqualTo(clusterOf[5]), "a son is a WANG who could have converted too");
    }

    [Test]
    public void A_dated_form_in_a_married_name_joins_the_one_woman_of_that_given_name_born_that_day()
    {
        var model = Model();
        MatchRecord[] records =
        [
            Record(0, "JPN", "THILAGA A/P GOVINDASAMY", "1966-01-29", "660129156846", address: "A-13-9, BLOK A, PPR DESA PERMAI"),
            Record(1, "LHDN", "Thilaga A/P Govindasamy", "1966-01-29", "660129156846"),
            Record(2, "KWSP", "THILAGA PRAKASH", "1966-01-29"),
            Record(3, "JPN", "KAVITHA A/P MUTHU", "1966-01-29", "660129106532"),
        ];
        Assert.That(model.Score(records[0], records[2]).Probability, Is.LessThan(0.5), "pair by pair one name and a birth date");

        var clusterOf = Cluster(records, model);
        Assert.That(clusterOf[2], Is.EqualTo(clusterOf[0]), "her pension record in her married name");
        Assert.That(clusterOf[3], Is.Not.EqualTo(clusterOf[0]));

        MatchRecord[] twoThilagas = [.. records[..3], Record(3, "JPN", "THILAGA A/P MUNIANDY", "1966-01-29", "660129106532")];
        clusterOf = Cluster(twoThilagas, model);
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[0]).And.Not.EqualTo(clusterOf[3]), "two women of that name born that day: either's");

        MatchRecord[] twoGivenNames =
        [
            Record(0, "JPN", "ANGELA GRACE ANAK STANLEY", "1967-01-06", "670106131052", address: "NO 124, JALAN SAGA 1"),
            Record(1, "LHDN", "Angela Grace Albert Masing", "1967-01-06"),
        ];
        clusterOf = Cluster(twoGivenNames, model);
        Assert.That(clusterOf[1], Is.EqualTo(clusterOf[0]), "both her given names, then her husband's two");
        twoGivenNames[1] = Record(1, "LHDN", "Angela Albert Masing", "1967-01-06");
        clusterOf = Cluster(twoGivenNames, model);
        Assert.That(clusterOf[1], Is.Not.EqualTo(clusterOf[0]), "not her given names whole");

        var taxForm = new PersonFacts { FullName = "THILAGA PRAKASH", DateOfBirth = "1966-01-29", Postcode = "81200" };
        MatchRecord[] elsewhere = [.. records[..2], MatchRecord.From(2, "LHDN", "2", taxForm, s_today)];
        clusterOf = Cluster(elsewhere, model);
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[0]), "a postcode none of hers gives (hers is 48000)");
    }

    [Test]
    public void A_dated_form_with_a_husbands_surname_before_her_name_joins_the_one_woman_of_that_name_born_that_day()
    {
        var model = Model();
        MatchRecord[] records =
        [
            Record(0, "JPN", "KELVIN CHUA JIA AH", "1981-10-29", "811029428586", address: "LOT 2838, KAMPUNG BUKIT BINTANG"),
            Record(1, "KWSP", "CHIN CHUA JIA AH", "1981-10-29"),
            Record(2, "JPN", "CHUA JIA MING", "1981-10-29", "811029428594"),
        ];
        Assert.That(model.Weight(records[0], records[1]), Is.LessThan(Clustering.Weight(new MatchSettings().LinkProbability)), "pair by pair a name part more and less");

        var clusterOf = Cluster(records, model);
        Assert.That(clusterOf[1], Is.EqualTo(clusterOf[0]), "her husband's surname before her name, her English given name dropped");
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[0]));

        MatchRecord[] aMan = [Record(0, "JPN", "CHUA JIA AH", "1981-10-29", "811029428587"), records[1]];
        clusterOf = Cluster(aMan, model);
        Assert.That(clusterOf[1], Is.Not.EqualTo(clusterOf[0]), "his MyKad says a man: CHIN CHUA JIA AH is not his married name");
    }

    [Test]
    public void A_bare_account_with_a_husbands_surname_before_her_name_joins_the_one_woman_of_that_name_at_its_home()
    {
        var model = Model();
        const string house = "NO 20, JALAN RAMBAI 27";
        MatchRecord[] home =
        [
            Record(0, "JPN", "CHEAH YEE HONG", "1979-03-14", "790314035524", address: house),
            Record(1, "JPN", "TSE KOK WAI", "1977-08-02", "770802035117", address: house),
            Record(2, "JPN", "TSE JIA HUI", "2005-06-30", "050630031562", address: house),
            Record(3, "TNB", "Tse Cheah Yee Hong", address: "No 20, Jalan Rambai 27", phone: "0168067376"),
        ];
        Assert.That(model.Weight(home[0], home[3]), Is.LessThan(Clustering.Weight(new MatchSettings().LinkProbability)), "pair by pair a name part more and a home");

        var clusterOf = Cluster(home, model);
        Assert.That(clusterOf[3], Is.EqualTo(clusterOf[0]), "her husband's surname before her name");
        Assert.That(clusterOf[1], Is.Not.EqualTo(clusterOf[0]));

        MatchRecord[] elsewhere = [home[0], home[1], home[2], Record(3, "TNB", "Tse Cheah Yee Hong", address: "LOT 9, KAMPUNG BARU")];
        clusterOf = Cluster(elsewhere, model);
        Assert.That(clusterOf[3], Is.Not.EqualTo(clusterOf[0]), "at another home the name alone is not enough");
    }

    [Test]
    public void A_dated_form_in_a_converts_name_joins_the_one_person_born_that_day_who_could_have_converted()
    {
        var model = Model();
        MatchRecord[] records =
        [
            Record(0, "JPN", "RAYMOND TING LING SENG", "1982-09-28", "820928075467", address: "B-7-9, BLOK B, PPR SEJAHTERA"),
            Record(1, "KWSP", "MUHAMMAD ARIF BIN ABDULLAH", "1982-09-28"),
            Record(2, "JPN", "AHMAD FAIZ BIN ISMAIL", "1982-09-28", "820928015673"),
            Record(3, "JPN", "TING LIAN HUI", "1982-09-28", "820928145940"),
        ];
        Assert.That(model.Weight(records[0], records[1]), Is.LessThan(Clustering.Weight(new MatchSettings().LinkProbability)), "pair by pair a birth date and a conversion");

        var clusterOf = Cluster(records, model);
        Assert.That(clusterOf[1], Is.EqualTo(clusterOf[0]), "the only man born that day whose name is not a Malay one");
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[0]));
        Assert.That(clusterOf[3], Is.Not.EqualTo(clusterOf[0]));

        MatchRecord[] unmarked = [.. records, Record(4, "JPN", "JOHN PEREIRA", "1982-09-28", "820928105531")];
        clusterOf = Cluster(unmarked, model);
        Assert.That(clusterOf[1], Is.Not.EqualTo(clusterOf[0]).And.Not.EqualTo(clusterOf[4]), "JOHN PEREIRA could have converted as well");

        MatchRecord[] keptWord = [.. unmarked];
        keptWord[1] = Record(1, "KWSP", "MUHAMMAD ARIF TING BIN ABDULLAH", "1982-09-28");
        clusterOf = Cluster(keptWord, model);
        Assert.That(clusterOf[1], Is.EqualTo(clusterOf[0]), "the new name keeps TING: of the two, his");
    }

    [Test]
    public void A_bare_account_in_a_name_the_conversion_left_joins_the_convert_at_home_whose_records_alone_hold_its_phone()
    {
        var model = Model();
        const string house = "NO 182, JALAN BAKTI 25";
        MatchRecord[] home =
        [
            Record(0, "JPN", "MOHAMAD FAHMI BIN ABDULLAH", "1985-07-24", "850724033931", address: house),
            Record(1, "LHDN", "MOHAMAD FAHMI BIN ABDULLAH", "24/07/1985", "850724033931", address: house, phone: "012-1133427"),
            Record(2, "TNB", "JASON WONG", address: house, phone: "0121133427"),
        ];
        Assert.That(model.Score(home[1], home[2]).Probability, Is.LessThan(0.5), "pair by pair a home, a phone and names a conversion could part");
        Assert.That(Cluster(home, model)[2], Is.EqualTo(0), "his account from before he converted");

        MatchRecord[] sharedPhone = [.. home, Record(3, "JPN", "WONG AH KAU", "1955-02-11", "550211035117", address: house, phone: "0121133427")];
        Assert.That(Cluster(sharedPhone, model)[2], Is.Not.EqualTo(0), "his father's records give that phone too: the account could be the father's");

        MatchRecord[] elsewhere = [home[0], home[1], Record(2, "TNB", "JASON WONG", address: "LOT 17, KAMPUNG BESTARI", phone: "0121133427")];
        Assert.That(Cluster(elsewhere, model)[2], Is.Not.EqualTo(0), "at another home the phone alone is not enough");
    }

    [Test]
    public void A_bare_account_in_the_old_name_joins_the_convert_where_the_others_of_the_surname_at_home_have_other_own_names()
    {
        var model = Model();
        const string house = "LOT 1832, KAMPUNG ANGSANA";
        MatchRecord[] home =
        [
            Record(0, "JPN", "MOHD NAZRI CHUA BIN ABDULLAH", "1972-11-13", "721113023889", address: house),
            Record(1, "JPN", "CHUA JUN PEI", "2001-09-18", "010918022771", address: house),
            Record(2, "JPN", "CHUA JUN SENG", "2011-07-01", "110701024013", address: house),
            Record(3, "TNB", "Chua Yong Kah", address: "Lot 1832, Kg Angsana", phone: "0169262736"),
        ];

        var clusterOf = Cluster(home, model);
        Assert.That(clusterOf[3], Is.EqualTo(clusterOf[0]), "his sons' own names are not YONG KAH: the account is his, from before he converted");
        Assert.That(clusterOf[1], Is.Not.EqualTo(clusterOf[0]));

        MatchRecord[] withEnglishName = [.. home[..3], Record(3, "TNB", "Jason Chua", address: "Lot 1832, Kg Angsana")];
        clusterOf = Cluster(withEnglishName, model);
        Assert.That(clusterOf[3], Is.Not.EqualTo(clusterOf[0]).And.Not.EqualTo(clusterOf[1]), "JASON could be any CHUA's English name");

        MatchRecord[] withSibling =
        [
            home[0],
            Record(1, "JPN", "CHUA YONG MING", "1975-02-01", "750201025113", address: house),
            Record(2, "TNB", "Chua Yong Kah", address: "Lot 1832, Kg Angsana"),
        ];
        clusterOf = Cluster(withSibling, model);
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[0]).And.Not.EqualTo(clusterOf[1]), "a brother sharing the generation name: either's");
    }

    [Test]
    public void A_converts_welfare_record_joins_through_the_birth_date_and_the_home_and_a_converted_brothers_account_does_not()
    {
        var model = Model();
        MatchRecord[] records =
        [
            Record(0, "JPN", "GOH YOKE SOON", "1997-09-08", "970908092218", address: "LOT 1032, KAMPUNG KELANG LAMA"),
            Record(1, "JKM", "Nur Nabila Binti Abdullah", "1997-09-08", address: "LOT 1032, KAMPUNG KELANG LAMA", phone: "0175978300"),
            Record(2, "TNB", "Muhammad Amir Goh Bin Abdullah", address: "Lot 1032, Kampung Kelang Lama"),
        ];
        var linkWeight = Clustering.Weight(new MatchSettings().LinkProbability);
        Assert.That(model.Weight(records[0], records[1]), Is.GreaterThanOrEqualTo(linkWeight), "a conversion name, the birth date and the home");
        Assert.That(model.Weight(records[0], records[2]), Is.LessThan(0), "no birth date: the home is the family's, the surname too");

        var clusterOf = Cluster(records, model);

        Assert.That(clusterOf[1], Is.EqualTo(clusterOf[0]));
        Assert.That(clusterOf[2], Is.Not.EqualTo(clusterOf[0]));
    }
}
