using System.Runtime.Intrinsics;
using PaduHub.Identity;

namespace PaduHub.Matching;

/// <summary>
/// A source record folded into the forms comparisons and blocking work on. Built once per record; comparing two of
/// them allocates nothing. Index is the record's position in the run (dense, from 0).
/// </summary>
public sealed class MatchRecord
{
    public required int Index { get; init; }
    /// <summary>Where it came from (an agency, or a CSV file) and its key there.</summary>
    public required string Source { get; init; }
    public required string Key { get; init; }

    public string? Given { get; init; }
    public string? Family { get; init; }
    /// <summary>The whole name, canonical (own names then father's), for records that carry it in one field.</summary>
    public string? FullName
    {
        get;
        init
        {
            field = value;
            FullNameCharacters = Similarity.CharacterCounts(value);
        }
    }

    /// <summary>The whole name's characters counted, kept beside it: most strangers' names are told apart by these alone.</summary>
    internal Vector256<byte> FullNameCharacters { get; private set; }
    /// <summary>The person's own names without the patronym: AHMAD BIN ALI and AHMAD agree here.</summary>
    public string? OwnName { get; init; }
    /// <summary>The father's name after BIN, BINTI, A/L or ANAK in a whole name, canonical; empty when the name has none.</summary>
    public string[] PatronymTokens { get; init; } = [];
    /// <summary>What joins the own name to the father's in a whole name: BIN, BINTI, A/L, A/P or ANAK; null when none.</summary>
    public string? Connector { get; init; }
    /// <summary>The name's words in order, a repeated word kept twice: LAY LAY is a given name of its own, not LAY.</summary>
    public string[] NameTokens
    {
        get;
        init
        {
            field = value;
            NameTokenBits = 0;
            foreach (var token in value)
            {
                NameTokenBits |= 1UL << (token.GetHashCode() & 63);
            }
        }
    } = [];

    /// <summary>
    /// One bit per name word (by its hash): two records whose bits share none share no word, and two whose bits differ
    /// do not have the same words, both answered without comparing a string. Most candidate pairs are settled so.
    /// </summary>
    internal ulong NameTokenBits { get; private set; }
    public string[] SurnameClans { get; init; } = [];
    /// <summary>yyyymmdd, digits as given (a corrupt month stays corrupt: a typo is still evidence).</summary>
    public string? DateOfBirth
    {
        get;
        init
        {
            field = value;
            BirthDay = value is null ? null : Dates.DayNumber(value);
            BirthDigits = value is { Length: 8 } && !value.AsSpan().ContainsAnyExceptInRange((char)1, (char)127) ? Pack(value) : 0;
        }
    }

    /// <summary>An eight-character birth date a character a byte, the first in the lowest; 0 for any other.</summary>
    internal ulong BirthDigits { get; private set; }

    static ulong Pack(string eight)
    {
        ulong packed = 0;
        for (var i = 7; i >= 0; i--)
        {
            packed = packed << 8 | eight[i];
        }
        return packed;
    }

    /// <summary>The birth date as a day number, for how near two fall; null where it is no real date (a 39th month).</summary>
    public int? BirthDay { get; private init; }
    /// <summary>Born, by the record's birth date or MyKad, less than 18 years before the run's reference date.</summary>
    public bool Minor { get; init; }
    /// <summary>M or F as the source stated it, else as the MyKad or the name's BIN/BINTI, A/L/A/P says; \0 when nothing does.</summary>
    public char Sex { get; init; }
    /// <summary>Whether the source stated the sex, rather than the MyKad's last digit giving it.</summary>
    public bool SexStated { get; init; }
    /// <summary>Whether only the name's connector gave the sex: then it can tell two people apart but adds nothing to a name that agrees.</summary>
    public bool SexFromName { get; init; }
    public PersonIdentifier[] Identifiers { get; init; } = [];
    /// <summary>A MyKad the registration department holds for a living record: two different ones never share a golden record.</summary>
    public string? VerifiedMyKad { get; set; }
    public string? Street { get; init; }
    public string? Unit { get; init; }
    public string? Postcode { get; init; }
    public string? City { get; init; }
    public string? State { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }

    /// <summary>Other facts, each compared on its own (<see cref="Comparisons.Attribute"/>): upper-case, blank where not known.</summary>
    public string?[] Attributes { get; init; } = [];

    /// <summary>The attribute slots' names, one array shared by every record of a run.</summary>
    public string[] AttributeNames { get; init; } = [];

    // Words of the name and the street for the token-set ratio, found when first compared. Comparing runs on several
    // threads; two finding them at once find the same words.
    Similarity.Word[]? _fullNameWords, _streetWords;
    internal Similarity.Word[] FullNameWords => _fullNameWords ??= Similarity.Words(FullName ?? "");
    internal Similarity.Word[] StreetWords => _streetWords ??= Similarity.Words(Street ?? "");

    string[]? _ownTokens;

    /// <summary>The words of the person's own name (no patronym, no surname when the source splits them).</summary>
    internal string[] OwnTokens => _ownTokens ??= (OwnName ?? Given)?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];

    public static MatchRecord From(int index, string source, string key, PersonFacts facts, DateOnly referenceDate)
    {
        string? given = null, family = null, full = null, own = null;
        string[] patronym = [];
        string? connector = null;
        var tokens = new List<string>();
        var clans = new List<string>();
        if (!string.IsNullOrWhiteSpace(facts.GivenName) || !string.IsNullOrWhiteSpace(facts.Surname))
        {
            var g = NameNormaliser.Normalise(facts.GivenName);
            var s = NameNormaliser.Normalise(facts.Surname);
            given = g.IsEmpty ? null : g.Full;
            family = s.IsEmpty ? null : s.Full;
            tokens.AddRange(g.Own);
            tokens.AddRange(g.Father);
            tokens.AddRange(s.Own);
            tokens.AddRange(s.Father);
            foreach (var word in s.Own)
            {
                clans.AddRange(NameNormaliser.ClansOf(word));
            }
        }
        if (!string.IsNullOrWhiteSpace(facts.FullName))
        {
            var n = NameNormaliser.Normalise(facts.FullName);
            if (!n.IsEmpty)
            {
                full = n.Full;
                own = string.Join(' ', n.Own);
                patronym = n.Connector is null ? [] : [.. n.Father.Select(t => Text.Shared(t))];
                connector = n.Connector;
                tokens.AddRange(n.Own);
                tokens.AddRange(n.Father);
                clans.AddRange(n.SurnameClans);
            }
        }

        var identifiers = new List<PersonIdentifier>(facts.Identifiers.Count);
        MyKadFacts? mykad = null;
        foreach (var id in facts.Identifiers)
        {
            var value = Text.Keep(id.Value, letters: true);
            if (value.Length < 3 || Text.DistinctCharacters(value, 2) < 2)
            {
                continue;
            }
            if (value.Length is >= 9 and <= 11 && id.Kind is "MYKAD" or "NATIONAL_ID" && MyKad.Parse(value.PadLeft(12, '0'), referenceDate, out _) is not null)
            {
                value = value.PadLeft(12, '0'); // born 2000-2009, the leading zeros lost where the column was stored as a number
            }
            if (!value.AsSpan().ContainsAnyInRange('0', '9'))
            {
                continue; // TIADA, NIL, UNKNOWN: a word typed where no number was known, in whatever column
            }
            var kind = IdentifierKinds.Of(id.Kind, value);
            if (kind == "MYKAD")
            {
                if (MyKad.IsPlaceholder(value))
                {
                    continue; // 000000-00-0000 and its cousins say nothing about who this is
                }
                mykad ??= MyKad.Parse(value, referenceDate, out _);
            }
            var identifier = new PersonIdentifier(kind, value);
            if (!identifiers.Contains(identifier))
            {
                identifiers.Add(identifier);
            }
        }

        var dob = Dates.ToDigits(facts.DateOfBirth) ?? (mykad is { } k ? k.DateOfBirth.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) : null);
        var statedSex = facts.Sex?.Trim().ToUpperInvariant() switch
        {
            // 1 and 2 are ISO 5218's codes; LAKI-LAKI and WANITA the other Malay words.
            "M" or "MALE" or "L" or "LELAKI" or "LAKI-LAKI" or "1" => 'M',
            "F" or "FEMALE" or "P" or "PEREMPUAN" or "W" or "WANITA" or "2" => 'F',
            _ => '\0',
        };
        // Unstated, the MyKad's last digit says it; failing that the name does: BIN and A/L mean son of, BINTI and A/P daughter of.
        var nameSex = connector switch { "BIN" or "A/L" => 'M', "BINTI" or "A/P" => 'F', _ => '\0' };
        var sex = statedSex != '\0' ? statedSex : mykad is { } m ? (m.IsMale ? 'M' : 'F') : nameSex;
        var address = AddressNormaliser.Normalise(facts.Address, facts.Postcode, facts.State);
        var city = facts.City is { } rawCity && CityOf(rawCity) is (true, var town) ? town : CityFolded(address.City);
        var email = facts.Email?.Trim().ToLowerInvariant();
        return new MatchRecord
        {
            Index = index,
            Source = Text.Shared(source),
            Key = key,
            Given = given,
            Family = family,
            FullName = full,
            OwnName = own,
            PatronymTokens = patronym,
            Connector = connector,
            NameTokens = Shared(tokens),
            SurnameClans = Distinct(clans),
            DateOfBirth = Text.Shared(dob),
            Minor = dob is not null && Dates.DayNumber(dob) > referenceDate.AddYears(-18).DayNumber,
            Sex = sex,
            SexStated = statedSex != '\0',
            SexFromName = statedSex == '\0' && mykad is null && nameSex != '\0',
            Identifiers = identifiers.Count == 0 ? [] : [.. identifiers],
            Street = address.Street.Length == 0 ? null : address.Street,
            Unit = Text.Shared(address.Unit),
            Postcode = Text.Shared(address.Postcode ?? OtherPostcode(facts.Postcode)),
            City = city,
            State = Text.Shared(address.State ?? Blank(facts.State?.Trim().ToUpperInvariant())),
            Phone = PhoneNormaliser.Normalise(facts.Phone) ?? (Digits(facts.Phone) is { Length: >= 6 } d ? d : null),
            Email = string.IsNullOrEmpty(email) || !email.Contains('@') ? null : email,
            Attributes = facts.Attributes.Length == 0 ? [] : [.. facts.Attributes.Select(AttributeOf)],
            AttributeNames = facts.AttributeNames,
        };
    }

    static string[] Shared(List<string> words)
    {
        if (words.Count == 0)
        {
            return [];
        }
        var shared = new string[words.Count];
        for (var i = 0; i < shared.Length; i++)
        {
            shared[i] = Text.Shared(words[i]);
        }
        return shared;
    }

    /// <summary>The words once each, in their first order (a record's clans are a handful: no hash set).</summary>
    static string[] Distinct(List<string> words)
    {
        for (var i = words.Count - 1; i > 0; i--)
        {
            if (words.IndexOf(words[i], 0, i) >= 0)
            {
                words.RemoveAt(i);
            }
        }
        return words.Count == 0 ? [] : [.. words];
    }

    /// <summary>
    /// A town as written, folded: a run holds a few thousand towns among a million records, and folding one costs as
    /// much as folding a name, so each spelling is folded once. The cache stops growing at a bound, for a file whose
    /// town column holds something else.
    /// </summary>
    static (bool IsTown, string? Folded) CityOf(string raw)
    {
        if (s_cities.TryGetValue(raw, out var city))
        {
            return city;
        }
        var town = AddressNormaliser.Town(raw);
        city = (town is not null, CityFolded(town));
        if (s_cities.Count < 100_000)
        {
            s_cities.TryAdd(raw, city);
        }
        return city;
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (bool, string?)> s_cities = new(StringComparer.Ordinal);

    static string? CityFolded(string? town) => NameNormaliser.Normalise(town) is { IsEmpty: false } folded ? Text.Shared(folded.Full) : null;

    /// <summary>An attribute's value with case, accents and spacing set aside; a word for "not known" is none.</summary>
    static string? AttributeOf(string? raw)
    {
        var value = raw is null ? "" : string.Join(' ', Text.FoldLatin(raw).ToUpperInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return value is "" or "-" or "?" or "N/A" or "NA" or "NULL" or "NONE" or "UNKNOWN" or "TIADA" ? null : Text.Shared(value);
    }

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    /// <summary>
    /// A postcode that is not five Malaysian digits: one that mixes letters and digits (a British TQ13 8DF, a Dutch
    /// 1234 AB) keeps both, since its digits alone would make TQ13 8DF and SW13 8AB one code; any other keeps its digits.
    /// </summary>
    static string? OtherPostcode(string? raw)
    {
        var code = raw is null ? "" : Text.Keep(raw, letters: true);
        return code.Length <= 10 && code.Any(char.IsAsciiLetter) && code.Any(char.IsAsciiDigit) ? code : Digits(raw);
    }

    static string? Digits(string? raw)
    {
        if (raw is null)
        {
            return null;
        }
        var digits = Text.Keep(raw, letters: false);
        return digits.Length == 0 ? null : digits;
    }
}
