using System.Text.RegularExpressions;

namespace PaduHub.Matching;

/// <summary>Folds Malaysian names to comparable parts. Pure and thread-safe.</summary>
public static partial class NameNormaliser
{
    /// <summary>Titles and honorifics that agencies put in front of names and JPN never registers.</summary>
    static readonly string[][] s_titles = new[]
    {
        "TAN SRI", "PUAN SRI", "DATO SRI", "DATUK SERI", "DATO SERI", "DATUK", "DATO", "DATIN", "DATIN SERI", "TUN", "TOH PUAN",
        "HAJI", "HJ", "HAJJAH", "HJH", "DR", "PROF", "ENCIK", "EN", "PUAN", "PN", "CIK", "TUAN", "MR", "MRS", "MS", "MISS", "MDM", "MADAM",
        "YB", "YBHG", "YAB", "KAPT", "MEJ", "KOL", "LT", "SJN", "KPL", "INSP", "ASP", "DSP", "SIR", "DAME", "LORD", "LADY", "REV",
    }.Select(t => t.Split(' ')).OrderByDescending(t => t.Length).ToArray();

    /// <summary>Connector spellings, by what they mean.</summary>
    static readonly Dictionary<string, string> s_connectors = new(StringComparer.Ordinal)
    {
        ["BIN"] = "BIN",
        ["BN"] = "BIN",
        ["B"] = "BIN",
        ["IBN"] = "BIN", // the Arabic form, in royal names IBNI
        ["IBNI"] = "BIN",
        ["BNI"] = "BIN", // two letters swapped, as a clerk's keys do
        ["BINTI"] = "BINTI",
        ["BT"] = "BINTI",
        ["BTE"] = "BINTI",
        ["BINTE"] = "BINTI",
        ["BINT"] = "BINTI",
        ["BNTI"] = "BINTI",
        ["BITNI"] = "BINTI",
        ["BINIT"] = "BINTI",
        ["A/L"] = "A/L",
        ["AL"] = "A/L",
        ["S/O"] = "A/L",
        ["A/P"] = "A/P",
        ["AP"] = "A/P",
        ["D/O"] = "A/P",
        ["ANAK"] = "ANAK",
        ["AK"] = "ANAK",
        ["ANK"] = "ANAK",
        ["NAAK"] = "ANAK",
        ["ANKA"] = "ANAK",
    };

    /// <summary>Spelling variants of the same name, folded to one form (docs/domain.md, names).</summary>
    static readonly Dictionary<string, string> s_canonical = BuildCanonical(
        ("MUHAMMAD", ["MOHD", "MOHAMAD", "MOHAMMAD", "MUHAMAD", "MOHAMMED", "MOHAMED", "MUHD", "MHD", "MUHAMMED", "MOHAMMAD", "MD"]),
        ("ABDUL", ["ABD", "AB", "ABDOL"]),
        ("NUR", ["NOR", "NOOR", "NUUR"]),
        ("NURUL", ["NOORUL", "NORUL"]),
        ("SITI", ["STI", "ST"]),
        ("YUSOF", ["YUSUF", "YUSOFF", "YUSOP", "YUSSOF", "YOUSUF"]),
        ("HUSSEIN", ["HUSIN", "HUSSIN", "HUSAIN", "HUSSAIN", "HUSEIN"]),
        ("ISMAIL", ["ISMAEL", "SMAIL"]),
        ("AISYAH", ["AISHAH", "AISHA", "AISYA", "AISAH"]),
        ("FATIMAH", ["FATIMA"]),
        ("SYAFIQ", ["SHAFIQ", "SYAFIK", "SHAFIK"]),
        ("ASYRAF", ["ASHRAF", "ASRAF"]),
        ("SYAHRUL", ["SHAHRUL"]),
        ("KHAIRUL", ["KAIRUL", "KHAIRULL"]),
        ("ZAINAL", ["ZAINOL"]),
        ("RASHID", ["RASYID", "RASHEED", "RASID"]),
        ("IBRAHIM", ["IBRAHEEM", "IBRAHIEM"]),
        ("AZIZ", ["AJIS", "AZIS"]),
        ("MUSTAFA", ["MUSTAPHA", "MOSTAFA", "MUSTAPA"]),
        ("SHARIF", ["SARIP", "SYARIF"]),
        ("SUBRAMANIAM", ["SUBRAMANIAN", "SUBRAMANYAM"]),
        ("LETCHUMI", ["LAKSHMI", "LETCHUMY", "LETCHUMEE"]),
        ("SARASWATHY", ["SARASWATHI"]));

    static Dictionary<string, string> BuildCanonical(params (string Canonical, string[] Variants)[] groups)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (canonical, variants) in groups)
        {
            foreach (var variant in variants)
            {
                map[variant] = canonical;
            }
        }
        return map;
    }

    /// <summary>
    /// Chinese surnames by clan: one character, many dialect romanisations (docs/domain.md, names). A token that is a known
    /// romanisation carries its clan(s); two names whose surnames share a clan may be the same surname spelled by
    /// different clerks. Some spellings belong to two clans (NG: 黄 and 吴), so a token maps to a set.
    /// </summary>
    static readonly Dictionary<string, string[]> s_clans = BuildClans(
        ("CHEN", ["TAN", "CHAN", "CHIN", "TING", "DING", "CHEN"]),
        ("LIN", ["LIM", "LAM", "LIN"]),
        ("HUANG", ["WONG", "NG", "OOI", "WEE", "ENG", "HUANG", "UY"]),
        ("ZHANG", ["TEO", "CHEONG", "CHONG", "TIONG", "CHANG", "ZHANG", "TEOH"]),
        ("LI", ["LEE", "LI", "LY"]),
        ("WANG", ["ONG", "WONG", "WANG", "HENG"]),
        ("WU", ["GOH", "NG", "GO", "WU", "GOU"]),
        ("LIU", ["LAU", "LIEW", "LOW", "LIU", "LAW"]),
        ("CAI", ["CHUA", "CHOY", "CHAI", "CAI", "TSAI", "CHOI"]),
        ("YANG", ["YEOH", "YONG", "YEO", "YANG", "YEUNG"]),
        ("ZHENG", ["TAY", "CHENG", "CHANG", "ZHENG", "TEH"]),
        ("XU", ["KOH", "KHOO", "KHOR", "KHAW", "HUI", "XU", "HSU"]),
        ("XIE", ["CHIA", "TSE", "CHIAH", "CHEAH", "XIE"]),
        ("LUO", ["LOH", "LO", "LAW", "LUO"]),
        ("LIANG", ["LEONG", "LIANG", "NEO", "LEUNG"]),
        ("GUO", ["KUEK", "KWOK", "KOK", "GUO", "QUEK"]),
        ("SHEN", ["SIM", "SHIM", "SUM", "SHEN"]),
        ("HE", ["HO", "HOH", "HOR", "HE"]),
        ("ZHOU", ["CHEW", "CHOW", "CHOU", "CHIEW", "ZHOU"]),
        ("YE", ["YAP", "YEAP", "YIP", "YE"]),
        ("ZHONG", ["CHONG", "CHUNG", "ZHONG"]),
        ("SU", ["SOO", "SOH", "SU"]),
        ("PENG", ["PHANG", "PANG", "PENG"]),
        ("XIAO", ["SIOW", "SEOW", "XIAO"]),
        ("ZHU", ["CHOO", "CHU", "ZHU"]),
        ("FANG", ["FONG", "FANG", "PNG"]),
        ("DENG", ["TANG", "TENG", "DENG"]));

    static Dictionary<string, string[]> BuildClans(params (string Clan, string[] Spellings)[] clans)
    {
        var map = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (clan, spellings) in clans)
        {
            foreach (var spelling in spellings)
            {
                if (!map.TryGetValue(spelling, out var list))
                {
                    map[spelling] = list = [];
                }
                list.Add(clan);
            }
        }
        return map.ToDictionary(m => m.Key, m => m.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Names that mean "no name yet": a record with one of these carries no name evidence at all.</summary>
    static readonly HashSet<string> s_placeholders = new(StringComparer.Ordinal)
    {
        "BABY BOY", "BABY GIRL", "BABY", "BAYI", "BAYI LELAKI", "BAYI PEREMPUAN", "UNKNOWN", "TIDAK DIKETAHUI", "NA", "N A", "NIL", "XXX",
    };

    // Every record is checked against every title, so no LINQ Take and SequenceEqual per title: comparing the first
    // token mostly settles it.
    static bool StartsWith(List<string> tokens, string[] title)
    {
        for (var k = 0; k < title.Length; k++)
        {
            if (!string.Equals(tokens[k], title[k], StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    public static NormalisedName Normalise(string? raw)
    {
        var tokens = Tokens(raw);
        if (tokens.Count == 0 || tokens.Count <= PlaceholderWords && s_placeholders.Contains(string.Join(' ', tokens)))
        {
            return new NormalisedName([], null, [], [], []);
        }

        List<string>? titles = null;
        var stripped = true;
        while (stripped && tokens.Count > 1)
        {
            stripped = false;
            foreach (var title in s_titles)
            {
                if (title.Length < tokens.Count && StartsWith(tokens, title))
                {
                    (titles ??= []).Add(string.Join(' ', title));
                    tokens.RemoveRange(0, title.Length);
                    stripped = true;
                    break;
                }
            }
        }

        // The connector is never the first token (a person called "Al" or "Bin" exists); the first one after that splits.
        string? connector = null;
        List<string>? father = null;
        for (var i = 1; i < tokens.Count - 1; i++)
        {
            if (s_connectors.TryGetValue(tokens[i], out var meaning))
            {
                connector = meaning;
                father = tokens.GetRange(i + 1, tokens.Count - i - 1);
                tokens.RemoveRange(i, tokens.Count - i);
                break;
            }
        }
        // A trailing connector with nothing after it ("AHMAD BIN") says only that a patronym was cut off.
        if (connector is null && tokens.Count > 1 && s_connectors.TryGetValue(tokens[^1], out var dangling))
        {
            connector = dangling;
            tokens.RemoveAt(tokens.Count - 1);
        }

        CanonicalInPlace(tokens);
        if (father is not null)
        {
            CanonicalInPlace(father);
        }
        return new NormalisedName(tokens, connector, father ?? [], titles ?? [], connector is null ? ClansOfWords(tokens) : []);
    }

    /// <summary>The most words a placeholder name has (BAYI PEREMPUAN): longer names are not looked up among them.</summary>
    static readonly int PlaceholderWords = s_placeholders.Max(p => p.Split(' ').Length);

    static void CanonicalInPlace(List<string> words)
    {
        for (var i = 0; i < words.Count; i++)
        {
            words[i] = Canonical(words[i]);
        }
    }

    /// <summary>The clans the words' spellings belong to, each once, in the words' order.</summary>
    static IReadOnlyList<string> ClansOfWords(List<string> words)
    {
        List<string>? clans = null;
        foreach (var word in words)
        {
            if (MayBeClanSpelling(word) && s_clans.TryGetValue(word, out var of))
            {
                foreach (var clan in of)
                {
                    if (clans is null || !clans.Contains(clan))
                    {
                        (clans ??= []).Add(clan);
                    }
                }
            }
        }
        return clans ?? (IReadOnlyList<string>)[];
    }

    /// <summary>
    /// False where no clan spelling has the word's first letter and length: a bit per length for each letter, so the
    /// dictionary is asked only about words of a spelling's shape.
    /// </summary>
    internal static bool MayBeClanSpelling(string token) =>
        token.Length is > 0 and < 64 && token[0] is >= 'A' and <= 'Z' && (s_clanShapes[token[0] - 'A'] & 1UL << token.Length) != 0;

    static readonly ulong[] s_clanShapes = ClanShapes();

    /// <summary>Every spelling a clan is known by.</summary>
    internal static IReadOnlyCollection<string> ClanSpellings => s_clans.Keys;

    static ulong[] ClanShapes()
    {
        var shapes = new ulong[26];
        foreach (var spelling in s_clans.Keys)
        {
            shapes[spelling[0] - 'A'] |= 1UL << spelling.Length;
        }
        return shapes;
    }

    /// <summary>The surname clans a token can be a romanisation of; empty when it is not a known Chinese surname.</summary>
    public static IReadOnlyList<string> ClansOf(string token) => s_clans.TryGetValue(token, out var clans) ? clans : [];

    public static string Canonical(string token) =>
        s_canonical.TryGetValue(token, out var canonical) ? canonical : MuhammadWithASlip(token) ? "MUHAMMAD" : token;

    static readonly string[] s_muhammad = [.. s_canonical.Where(v => v.Value == "MUHAMMAD" && v.Key.Length >= 4).Select(v => v.Key), "MUHAMMAD"];

    /// <summary>
    /// One slip (a letter dropped, added or changed, two neighbours swapped) in one of MUHAMMAD's spellings of four
    /// letters or more: MOHAMOD, MODH, OHAMAD. The commonest word of Malay names, written a dozen ways before a clerk's
    /// slip, so a slip on one spelling is two slips from another and would otherwise be a different name. No name of
    /// its own lies one slip from these spellings; the short MD and MHD are left out, a slip on them is too near other
    /// words.
    /// </summary>
    static bool MuhammadWithASlip(string token)
    {
        if (token.Length < 4 || token[0] is not ('M' or 'O'))
        {
            return false;
        }
        foreach (var spelling in s_muhammad)
        {
            if (Similarity.WithinOneEdit(token, spelling) || Similarity.IsTransposition(token, spelling))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A / L and S / O typed with spaces round the slash.</summary>
    [GeneratedRegex(@"\b(?:A\s*/\s*[LP]|[SD]\s*/\s*O)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SpacedConnector();

    /// <summary>Upper case, ASCII letters kept, apostrophes dropped (MA'AROF = MAAROF), '/' kept inside A/L and S/O.</summary>
    static List<string> Tokens(string? raw)
    {
        var tokens = new List<string>();
        if (string.IsNullOrWhiteSpace(raw))
        {
            return tokens;
        }
        if (raw.Contains('/'))
        {
            raw = SpacedConnector().Replace(raw, m => string.Concat(m.Value.Where(c => !char.IsWhiteSpace(c))));
        }
        var folded = Text.FoldLatin(raw);
        // A word is never longer than the text it comes from, so one buffer holds any of them.
        Span<char> token = folded.Length <= 256 ? stackalloc char[folded.Length] : new char[folded.Length];
        var length = 0;
        foreach (var c in folded)
        {
            var u = char.ToUpperInvariant(c);
            if (u is >= 'A' and <= 'Z' or >= '0' and <= '9')
            {
                token[length++] = u;
            }
            else if (u == '/' && length is 1 && token[0] is 'A' or 'S' or 'D')
            {
                token[length++] = '/';
            }
            else if (u == '-' && token[..length] is "AL" or "EL")
            {
                // AL-AMIN is one Arabic name, not the A/L connector followed by AMIN
            }
            else if (u is '\'' or '\u2019' or '`' or '\u0301' or '\u0300' or '\u0308' or '\u0302')
            {
                // apostrophes and combining accents vanish inside a word
            }
            else if (u == '.' && token[..length] is "A" or "D" or "S")
            {
                token[length++] = '/'; // "A.L." -> A/L, "S.O" -> S/O
            }
            else
            {
                Flush(tokens, token, ref length);
            }
        }
        Flush(tokens, token, ref length);
        // "A/L." leaves "A/L" + nothing; "A/" + "L" from "A/ L" is rejoined.
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            if (tokens[i].Length == 2 && tokens[i][1] == '/' && tokens[i + 1].Length == 1)
            {
                tokens[i] += tokens[i + 1];
                tokens.RemoveAt(i + 1);
            }
        }
        for (var i = tokens.Count - 1; i >= 0; i--)
        {
            tokens[i] = tokens[i].TrimEnd('/');
            if (tokens[i].Length == 0)
            {
                tokens.RemoveAt(i);
            }
        }
        return tokens;

        static void Flush(List<string> tokens, ReadOnlySpan<char> token, ref int length)
        {
            if (length > 0)
            {
                tokens.Add(new string(token[..length]));
                length = 0;
            }
        }
    }
}
