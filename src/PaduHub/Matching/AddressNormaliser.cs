using System.Text.RegularExpressions;

namespace PaduHub.Matching;

/// <summary>
/// Folds Malaysian addresses (docs/domain.md, addresses): abbreviations expanded (JLN -> JALAN, TMN -> TAMAN,
/// KG -> KAMPUNG, P/PURI -> PANGSAPURI), the unit (NO 12, LOT 303, A-3-5, BILIK 7) separated from the street,
/// and the state under its canonical name whatever the agency called it (KL, W.P. Kuala Lumpur, Penang, SEL).
/// </summary>
public static partial class AddressNormaliser
{
    static readonly Dictionary<string, string> s_words = new(StringComparer.Ordinal)
    {
        ["JLN"] = "JALAN",
        ["JL"] = "JALAN",
        ["TMN"] = "TAMAN",
        ["KG"] = "KAMPUNG",
        ["KAMPONG"] = "KAMPUNG",
        ["KPG"] = "KAMPUNG",
        ["LRG"] = "LORONG",
        ["PSN"] = "PERSIARAN",
        ["LBH"] = "LEBUH",
        ["CKT"] = "CHANGKAT",
        ["LKR"] = "LINGKARAN",
        ["SG"] = "SUNGAI",
        ["SPG"] = "SIMPANG",
        ["MDN"] = "MEDAN",
        ["SLK"] = "SOLOK",
        ["TKT"] = "TINGKAT",
        ["BLK"] = "BLOK",
        ["BLOCK"] = "BLOK",
        ["PPURI"] = "PANGSAPURI",
        ["PANGSA"] = "PANGSAPURI",
        ["KONDO"] = "KONDOMINIUM",
        ["APT"] = "APARTMENT",
        ["BGN"] = "BANGUNAN",
        ["BT"] = "BATU",
        ["BDR"] = "BANDAR",
        ["SRI"] = "SERI",
    };

    static readonly Dictionary<string, string> s_states = BuildStates(
        ("JOHOR", ["JOHOR", "JHR", "JOHOR DARUL TAKZIM", "JOHORE"]),
        ("KEDAH", ["KEDAH", "KDH", "KEDAH DARUL AMAN"]),
        ("KELANTAN", ["KELANTAN", "KTN", "KELANTAN DARUL NAIM"]),
        ("MELAKA", ["MELAKA", "MALACCA", "MLK"]),
        ("NEGERI SEMBILAN", ["NEGERI SEMBILAN", "N SEMBILAN", "NSN", "N9", "NEGERI SEMBILAN DARUL KHUSUS"]),
        ("PAHANG", ["PAHANG", "PHG", "PAHANG DARUL MAKMUR"]),
        ("PULAU PINANG", ["PULAU PINANG", "PENANG", "P PINANG", "PG", "PNG"]),
        ("PERAK", ["PERAK", "PRK", "PERAK DARUL RIDZUAN"]),
        ("PERLIS", ["PERLIS", "PLS", "PERLIS INDERA KAYANGAN"]),
        ("SELANGOR", ["SELANGOR", "SEL", "SGR", "SELANGOR DARUL EHSAN"]),
        ("TERENGGANU", ["TERENGGANU", "TRG", "TRENGGANU", "TERENGGANU DARUL IMAN"]),
        ("SABAH", ["SABAH", "SBH"]),
        ("SARAWAK", ["SARAWAK", "SWK"]),
        ("WP KUALA LUMPUR", ["WP KUALA LUMPUR", "W P KUALA LUMPUR", "KUALA LUMPUR", "KL", "WILAYAH PERSEKUTUAN KUALA LUMPUR", "WPKL"]),
        ("WP LABUAN", ["WP LABUAN", "W P LABUAN", "LABUAN", "WILAYAH PERSEKUTUAN LABUAN"]),
        ("WP PUTRAJAYA", ["WP PUTRAJAYA", "W P PUTRAJAYA", "PUTRAJAYA", "WILAYAH PERSEKUTUAN PUTRAJAYA"]));

    static Dictionary<string, string> BuildStates(params (string State, string[] Spellings)[] states) =>
        states.SelectMany(s => s.Spellings.Select(x => (x, s.State))).ToDictionary(p => p.x, p => p.State, StringComparer.Ordinal);

    static readonly Dictionary<string, string> s_towns = new(StringComparer.Ordinal)
    {
        ["KL"] = "KUALA LUMPUR",
        ["K LUMPUR"] = "KUALA LUMPUR",
        ["JB"] = "JOHOR BAHRU",
        ["JOHOR BHARU"] = "JOHOR BAHRU",
        ["PJ"] = "PETALING JAYA",
        ["KK"] = "KOTA KINABALU",
        ["KB"] = "KOTA BHARU",
        ["KT"] = "KUALA TERENGGANU",
        ["SP"] = "SUNGAI PETANI",
        ["BM"] = "BUKIT MERTAJAM",
    };

    /// <summary>A town in upper-case words, written in full where agencies shorten it (KL, JB, PJ); null for none.</summary>
    public static string? Town(string? raw)
    {
        var words = Words(raw);
        if (words.Count == 0)
        {
            return null;
        }
        var town = words.All(w => w.Length == 1) ? string.Concat(words) : string.Join(' ', words); // J.B. is JB
        return s_towns.GetValueOrDefault(town, town);
    }

    /// <summary>The state's canonical name, or null for a spelling nobody uses.</summary>
    public static string? State(string? raw)
    {
        var words = Words(raw);
        return words.Count == 0 ? null : s_states.GetValueOrDefault(string.Join(' ', words));
    }

    static readonly System.Buffers.SearchValues<char> s_asciiLetters = System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    [GeneratedRegex(@"^(?:(?:NO|NOMBOR|LOT|BILIK|UNIT)\s+)?([A-Z]?\d+[A-Z]?(?:-\d+[A-Z]?){0,3}|[A-Z]-\d+-\d+)\b")]
    private static partial Regex UnitAtStart();

    public static NormalisedAddress Normalise(string? address, string? postcode = null, string? state = null)
    {
        var words = Words(address);
        for (var i = 0; i < words.Count; i++)
        {
            words[i] = s_words.GetValueOrDefault(words[i], words[i]);
        }
        string? unit = null;
        var joined = string.Join(' ', words);
        var match = UnitAtStart().Match(joined);
        if (match.Success)
        {
            unit = match.Groups[1].Value;
            words = Words(joined[match.Length..]);
        }
        var locality = Locality(words);
        var text = string.Join(' ', System.Runtime.InteropServices.CollectionsMarshal.AsSpan(words)[..^locality.Words]);
        var digits = postcode is null ? null : Text.Keep(postcode, letters: false);
        if (digits is { Length: 4 } && !postcode!.AsSpan().ContainsAny(s_asciiLetters))
        {
            digits = "0" + digits; // a postcode stored as a number lost its leading zero: the northern states' start with one
        }
        return new NormalisedAddress(unit, text, digits is { Length: 5 } ? digits : locality.Postcode, State(state) ?? locality.State, locality.City);
    }

    /// <summary>
    /// The locality a one-line address ends in ("..., 43000 KAJANG, SELANGOR"), the way bills and forms print it: the
    /// last five-digit word after the street and before a town is the postcode, then the town, then perhaps the state. Left in the street,
    /// it would set the address apart from the same address sent in its columns.
    /// </summary>
    static (int Words, string? Postcode, string? City, string? State) Locality(List<string> words)
    {
        var at = words.FindLastIndex(w => w.Length == 5 && !w.AsSpan().ContainsAnyExceptInRange('0', '9'));
        if (at < 1 || words.Count - at is < 2 or > 7)
        {
            return (0, null, null, null);
        }
        var after = words.Count - at - 1;
        string? state = null;
        var stateWords = 0;
        for (var n = Math.Min(after, 5); n >= 1 && state is null; n--)
        {
            if (s_states.TryGetValue(string.Join(' ', words.Skip(words.Count - n)), out var found))
            {
                (state, stateWords) = (found, n);
            }
        }
        // Outside the range postcodes take, five digits are a postcode still where a town and a state follow them: a
        // mistyped or made-up postcode, printed where a bill prints it.
        if (int.Parse(words[at], System.Globalization.CultureInfo.InvariantCulture) is < 1000 or > 98999 && (state is null || after == stateWords))
        {
            return (0, null, null, null);
        }
        var city = string.Join(' ', words.Skip(at + 1).Take(after - stateWords));
        return (words.Count - at, words[at], city.Length == 0 ? null : city, state);
    }

    /// <summary>Upper-case words, punctuation as separators, except '-' inside unit numbers (A-3-5) and '/' dropped (P/PURI).</summary>
    static List<string> Words(string? raw)
    {
        var words = new List<string>();
        if (string.IsNullOrWhiteSpace(raw))
        {
            return words;
        }
        var folded = Text.FoldLatin(raw);
        // A word is never longer than the text it comes from, so one buffer holds any of them.
        Span<char> word = folded.Length <= 256 ? stackalloc char[folded.Length] : new char[folded.Length];
        var length = 0;
        foreach (var letter in folded)
        {
            var c = char.ToUpperInvariant(letter);
            if (char.IsAsciiLetterOrDigit(c) || (c == '-' && length > 0))
            {
                word[length++] = c;
            }
            else if (c is '/' or '\'' or '\u2019')
            {
                // P/PURI -> PPURI, DATO'S -> DATOS
            }
            else if (length > 0)
            {
                // A word starts with a letter or digit, so one with its dashes trimmed is never empty.
                words.Add(new string(word[..length].TrimEnd('-')));
                length = 0;
            }
        }
        if (length > 0)
        {
            words.Add(new string(word[..length].TrimEnd('-')));
        }
        return words;
    }
}
