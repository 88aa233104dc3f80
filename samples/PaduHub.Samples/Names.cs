namespace PaduHub.Samples;

public enum Ethnicity { Malay, Chinese, Indian, SabahSarawak, Other }

/// <summary>
/// A name as JPN registers it, kept in parts so agencies can mangle it the way real clerks do.
/// Malay and Indian names are a personal name, a connector (BIN/BINTI, A/L / A/P) and the father's name;
/// Sarawak natives use ANAK; Chinese names are surname first, sometimes after an English name.
/// </summary>
public sealed record PersonName(string Given, string? Surname, string? Connector, string? FatherName, string? EnglishName, int SurnameClan = -1)
{
    public string Full => Connector is not null
        ? $"{Given} {Connector} {FatherName}" + (Surname is null ? "" : $" {Surname}")
        : EnglishName is not null ? $"{EnglishName} {Surname} {Given}"
        : Surname is not null ? (SurnameFirst ? $"{Surname} {Given}" : $"{Given} {Surname}") : Given;

    /// <summary>Chinese names put the surname first; Eurasian and other names put it last.</summary>
    public bool SurnameFirst { get; init; } = true;
}

/// <summary>Name stock and how each community composes a name. Sources: docs/domain.md, names.</summary>
public static class Names
{
    public static readonly string[] MalayMale =
    [
        "HAFIZ", "FAIZ", "SYAFIQ", "AIMAN", "HAZIQ", "IRFAN", "DANIAL", "FIRDAUS", "AZLAN", "RIZAL", "ZULKIFLI", "ISMAIL",
        "IBRAHIM", "HASSAN", "HUSSEIN", "KAMAL", "YUSOF", "ZAINAL", "SHAHRUL", "NAZRI", "KHAIRUL", "HAKIM", "ISKANDAR",
        "FAUZI", "ROSLI", "AZMAN", "ROSLAN", "SULAIMAN", "OSMAN", "JAMAL", "ARIF", "LUQMAN", "HARITH", "ADAM", "RAYYAN",
        "AMEER", "AMIR", "NAIM", "AKMAL", "SYAHMI", "FARID", "HISHAM", "RIDZUAN", "ANUAR", "ZAKARIA", "IDRIS", "YAHYA",
        "NIZAM", "HALIM", "SALLEH", "SHAFIE", "ASYRAF", "IKHWAN", "AFIQ", "AQIL", "HARIS", "FAHMI", "NAJIB", "RASHID",
        "ZAHID", "MUSTAFA", "AZHAR", "RAZALI", "SHAMSUL", "FAIZAL", "HAIRI", "ALIF", "DANISH", "ARIFF", "WAFIQ", "IMRAN",
    ];

    /// <summary>The Abdul- names: Abdul plus an attribute of God.</summary>
    public static readonly string[] AbdulSuffix =
        ["RAHMAN", "RAHIM", "AZIZ", "HAMID", "RAZAK", "HALIM", "KARIM", "MALIK", "LATIF", "WAHAB", "GHANI", "JALIL", "MAJID", "SAMAD", "MANAF"];

    public static readonly string[] MalayFemale =
    [
        "AISYAH", "AMINAH", "FATIMAH", "ZAINAB", "NADIA", "FARAH", "AINA", "ALYA", "BALQIS", "HANI", "IZZATI", "SYAFIQAH",
        "NABILA", "AMIRA", "SOFEA", "ZAHRA", "ZARA", "HANIS", "LIYANA", "ATIQAH", "NAJWA", "SYAHIRAH", "AQILAH", "WANI",
        "ROHANI", "ROSNAH", "SALMAH", "ZALEHA", "HAYATI", "FARIDAH", "AZIZAH", "HASNAH", "KAMARIAH", "MARIAM", "HALIMAH",
        "RAHIMAH", "SURIANI", "HASLINDA", "SHAHIDA", "ADIBAH", "DIYANA", "ELYA", "HUSNA", "INSYIRAH", "MAISARAH", "NURIN",
        "QISTINA", "RAIHANA", "SAFIYYAH", "WARDAH", "YASMIN", "ZULAIKHA", "ANIS", "AFIFAH", "HIDAYAH", "SUHAILA", "ROSMAH",
    ];

    public static readonly string[] ChineseSyllables =
    [
        "WEI", "MING", "KOK", "SENG", "CHEE", "KEONG", "HOCK", "LEONG", "SIEW", "MEI", "LING", "HUI", "YEE", "XIN", "JIA",
        "JUN", "HAO", "KAI", "YI", "KAH", "BOON", "CHOON", "ENG", "GEOK", "POH", "LAY", "SWEE", "KIM", "AH", "TECK", "WAI",
        "YONG", "ZHI", "ZI", "HONG", "SOON", "CHIN", "FONG", "KHENG", "BEE", "LIAN", "NYUK", "SIANG", "CHOO", "KHAI", "YAN",
        "PEI", "SHAN", "WEN", "HENG", "KIAT", "LOKE", "MUN", "YEN", "YOKE", "CHUN", "KUAN", "TZE", "HOE", "SIONG",
    ];

    /// <summary>One Chinese surname per row, in the dialect romanisations Malaysian clerks used.</summary>
    public static readonly string[][] ChineseSurnameClans =
    [
        ["TAN", "CHAN", "CHIN", "TING"],   // 陈
        ["LIM", "LAM"],                    // 林
        ["WONG", "NG", "OOI", "WEE"],      // 黄
        ["TEO", "CHEONG", "CHONG", "TIONG"], // 张
        ["LEE", "LI"],                     // 李
        ["ONG", "WANG"],                   // 王
        ["GOH", "NG", "GO"],               // 吴
        ["LAU", "LIEW", "LOW"],            // 刘
        ["CHUA", "CHOY", "CHAI"],          // 蔡
        ["YEOH", "YONG", "YEO"],           // 杨
        ["TAY", "CHENG", "CHANG"],         // 郑
        ["KOH", "KHOO", "HUI"],            // 许
        ["CHIA", "TSE", "CHIAH"],          // 谢
        ["LOH", "LO", "LAW"],              // 罗
        ["LEONG", "LIANG", "NEO"],         // 梁
        ["KUEK", "KWOK", "KOK"],           // 郭
        ["SIM", "SHIM", "SHEN"],           // 沈
        ["CHEAH", "CHIA", "XIE"],          // 谢 (Penang Hokkien)
    ];

    public static readonly string[] ChineseEnglishNames =
        ["MICHELLE", "JASON", "KELVIN", "JESSICA", "VIVIAN", "ALVIN", "JOANNE", "WILLIAM", "GRACE", "DANIEL", "CHRISTINE", "RAYMOND"];

    public static readonly string[] IndianMale =
    [
        "MURUGAN", "SURESH", "RAVI", "GANESAN", "KUMAR", "RAJESH", "ARJUN", "VIKRAM", "PRAKASH", "SARAVANAN", "SIVAKUMAR",
        "MUTHU", "SELVAM", "KANNAN", "RAMESH", "ANAND", "DEVAN", "KAVIN", "THIRU", "NAVEEN", "KARTHIK", "VIJAY", "MAHENDRAN",
        "SUBRAMANIAM", "KRISHNAN", "RAJ", "ARUN", "VELLUPILLAI", "MUNIANDY", "RAMASAMY", "SINNADURAI", "GOVINDASAMY", "PERUMAL",
    ];

    public static readonly string[] IndianFemale =
    [
        "DEVI", "KAVITHA", "PRIYA", "LAKSHMI", "MEENA", "SHANTI", "REVATHI", "MALAR", "SANGEETHA", "ANITHA", "KALAIVANI",
        "THILAGA", "VANI", "NISHA", "DEEPA", "PARVATHI", "UMA", "SARASWATHY", "LETCHUMI", "SHALINI", "YAMUNA", "KOGILA",
    ];

    public static readonly string[] IndianFamilyNames = ["PILLAI", "MENON", "NAIR"];

    public static readonly string[] EastMalaysianMale =
    [
        "WILSON", "JIMMY", "PETER", "JOSEPH", "MICHAEL", "ROBERT", "ALBERT", "DOMINIC", "FRANCIS", "STANLEY", "JUGAH",
        "BUJANG", "LAJIM", "SINTANG", "MASING", "ENTRI", "NGADAN", "AJANG", "LANGIT", "UKAU", "SANI", "GINDOL", "JAIMIN",
        "MOJUNTIN", "TANGAU", "LIDAH", "ENGGI", "NYIPA", "JEFFREY", "BENEDICT",
    ];

    public static readonly string[] EastMalaysianFemale =
    [
        "MARY", "JENNY", "GRACE", "AGNES", "CHRISTINA", "JULIANA", "ROSALIND", "LINDA", "NANCY", "SIAH", "DAYANG", "IMANG",
        "SELINA", "MAGDALENE", "ANGELA", "JANET", "RITA", "EVELYN",
    ];

    public static readonly string[] OtherGiven = ["ANTHONY", "JOHN", "MARIA", "TERESA", "PAUL", "CLARA", "MARK", "SARAH", "ALANG", "SOMCHAI", "NOK"];

    public static readonly string[] OtherSurnames = ["DE SOUZA", "FERNANDEZ", "ROZARIO", "PEREIRA", "DE SILVA", "GOMES", "SINNAPAH"];

    /// <summary>Names so common that unrelated people share them: the hard negatives of name matching.</summary>
    public static readonly PersonName[] VeryCommon =
    [
        new("MUHAMMAD HAFIZ", null, "BIN", "ABDULLAH", null),
        new("NUR AISYAH", null, "BINTI", "AHMAD", null),
        new("MOHD FAIZAL", null, "BIN", "ISMAIL", null),
        new("SITI NURHALIZA", null, "BINTI", "ABDUL RAHMAN", null),
        new("WEI MING", "LIM", null, null, null, 1),
        new("MEI LING", "TAN", null, null, null, 0),
        new("KUMAR", null, "A/L", "MUNIANDY", null),
    ];

    public static PersonName ForMalay(ref Rng rng, bool male, string fatherGiven)
    {
        string given;
        if (male)
        {
            var r = rng.NextDouble();
            given = r < 0.35 ? $"MUHAMMAD {rng.Pick(MalayMale)}"
                : r < 0.45 ? $"AHMAD {rng.Pick(MalayMale)}"
                : r < 0.57 ? $"ABDUL {rng.Pick(AbdulSuffix)}"
                : r < 0.72 ? $"MOHD {rng.Pick(MalayMale)}"
                : r < 0.85 ? $"{rng.Pick(MalayMale)} {rng.Pick(MalayMale)}"
                : rng.Pick(MalayMale);
        }
        else
        {
            var r = rng.NextDouble();
            given = r < 0.25 ? $"NUR {rng.Pick(MalayFemale)}"
                : r < 0.40 ? $"SITI {rng.Pick(MalayFemale)}"
                : r < 0.50 ? $"NURUL {rng.Pick(MalayFemale)}"
                : r < 0.55 ? $"NOR {rng.Pick(MalayFemale)}"
                : r < 0.75 ? $"{rng.Pick(MalayFemale)} {rng.Pick(MalayFemale)}"
                : rng.Pick(MalayFemale);
        }
        given = DistinctWords(given);
        return new PersonName(given, null, male ? "BIN" : "BINTI", fatherGiven, null);
    }

    public static PersonName ForChinese(ref Rng rng, int clan, string surname, string? generationSyllable)
    {
        var first = generationSyllable ?? rng.Pick(ChineseSyllables);
        var second = rng.Pick(ChineseSyllables);
        while (second == first)
        {
            second = rng.Pick(ChineseSyllables);
        }
        var english = rng.Chance(0.12) ? rng.Pick(ChineseEnglishNames) : null;
        return new PersonName($"{first} {second}", surname, null, null, english, clan);
    }

    public static PersonName ForIndian(ref Rng rng, bool male, string fatherGiven, string? familyName) =>
        new(male ? rng.Pick(IndianMale) : rng.Pick(IndianFemale), familyName, male ? "A/L" : "A/P", fatherGiven, null);

    public static PersonName ForEastMalaysian(ref Rng rng, bool male, string fatherGiven, bool sarawak)
    {
        var stock = male ? EastMalaysianMale : EastMalaysianFemale;
        var given = rng.Chance(0.4) ? DistinctWords($"{rng.Pick(stock)} {rng.Pick(stock)}") : rng.Pick(stock);
        var connector = sarawak ? "ANAK" : male ? "BIN" : "BINTI";
        return new PersonName(given, null, connector, fatherGiven, null);
    }

    public static PersonName ForOther(ref Rng rng, string surname) =>
        new(rng.Pick(OtherGiven), surname, null, null, null) { SurnameFirst = false };

    /// <summary>The part of a father's name his children carry: his personal name without his own patronym.</summary>
    public static string PatronymOf(PersonName father) => father.Connector is not null ? father.Given : father.Full;

    static string DistinctWords(string name)
    {
        var words = name.Split(' ');
        return words.Length == 2 && words[0] == words[1] ? words[0] : name;
    }
}
