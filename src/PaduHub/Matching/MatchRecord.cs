using PaduHub.Identity;

namespace PaduHub.Matching;

/// <summary>An identifier a person carries: a MyKad, old IC, army or police number, passport, or a dataset's national id.</summary>
public readonly record struct PersonIdentifier(string Kind, string Value)
{
    /// <summary>
    /// The value's digits four bits each, first digit lowest, the unused high bits all ones: two all-digit values of up to
    /// 16 digits are equal exactly when these are, and a substitution or a swap of neighbours shows in which four-bit
    /// places differ, without reading either string (comparing identifiers was a seventh of comparing, most of it
    /// waiting for the strings' memory). <see cref="NotDigits"/> for anything else. Worked out when the identifier is
    /// made, so make a new one rather than copy one <c>with</c> another value.
    /// </summary>
    public ulong Digits { get; } = PackDigits(Value);

    public const ulong NotDigits = ulong.MaxValue;

    static ulong PackDigits(string value)
    {
        if (value.Length is 0 or > 16)
        {
            return NotDigits;
        }
        var packed = ulong.MaxValue;
        for (var i = 0; i < value.Length; i++)
        {
            var digit = (uint)(value[i] - '0');
            if (digit > 9)
            {
                return NotDigits;
            }
            packed &= ~(0xFUL << (4 * i));
            packed |= (ulong)digit << (4 * i);
        }
        return packed;
    }
}

/// <summary>
/// What a source says about a person, before normalisation: the agency's values (or a CSV's columns) in the roles
/// matching understands. Any of them may be missing.
/// </summary>
public sealed class PersonFacts
{
    public string? GivenName { get; set; }
    public string? Surname { get; set; }
    public string? FullName { get; set; }
    public string? DateOfBirth { get; set; }
    public string? Sex { get; set; }
    public List<PersonIdentifier> Identifiers { get; } = [];
    public string? Address { get; set; }
    public string? Postcode { get; set; }
    public string? City { get; set; }
    public string? State { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
}

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
    public string? FullName { get; init; }
    /// <summary>The person's own names without the patronym: AHMAD BIN ALI and AHMAD agree here.</summary>
    public string? OwnName { get; init; }
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
    public string? DateOfBirth { get; init; }
    public char Sex { get; init; }
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

    // Words of the name and the street for the token-set ratio, found when first compared. Comparing runs on several
    // threads; two finding them at once find the same words.
    Similarity.Word[]? _fullNameWords, _streetWords;
    internal Similarity.Word[] FullNameWords => _fullNameWords ??= Similarity.Words(FullName ?? "");
    internal Similarity.Word[] StreetWords => _streetWords ??= Similarity.Words(Street ?? "");

    public static MatchRecord From(int index, string source, string key, PersonFacts facts, DateOnly referenceDate)
    {
        string? given = null, family = null, full = null, own = null;
        var tokens = new List<string>();
        var clans = new List<string>();
        if (!string.IsNullOrWhiteSpace(facts.GivenName) || !string.IsNullOrWhiteSpace(facts.Surname))
        {
            var g = NameNormaliser.Normalise(facts.GivenName);
            var s = NameNormaliser.Normalise(facts.Surname);
            given = g.IsEmpty ? null : g.Full;
            family = s.IsEmpty ? null : s.Full;
            tokens.AddRange(g.Own.Concat(g.Father).Concat(s.Own).Concat(s.Father));
            clans.AddRange(s.Own.SelectMany(NameNormaliser.ClansOf));
        }
        if (!string.IsNullOrWhiteSpace(facts.FullName))
        {
            var n = NameNormaliser.Normalise(facts.FullName);
            if (!n.IsEmpty)
            {
                full = n.Full;
                own = string.Join(' ', n.Own);
                tokens.AddRange(n.Own.Concat(n.Father));
                clans.AddRange(n.SurnameClans);
            }
        }

        var identifiers = new List<PersonIdentifier>();
        MyKadFacts? mykad = null;
        foreach (var id in facts.Identifiers)
        {
            var value = Text.Keep(id.Value, letters: true);
            if (value.Length < 3 || Text.DistinctCharacters(value, 2) < 2)
            {
                continue;
            }
            if (id.Kind == "MYKAD")
            {
                if (MyKad.IsPlaceholder(value))
                {
                    continue; // 000000-00-0000 and its cousins say nothing about who this is
                }
                mykad ??= MyKad.Parse(value, referenceDate, out _);
            }
            identifiers.Add(new PersonIdentifier(id.Kind, value));
        }

        var dob = Dates.ToDigits(facts.DateOfBirth) ?? (mykad is { } k ? k.DateOfBirth.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) : null);
        var sex = facts.Sex?.Trim().ToUpperInvariant() switch
        {
            "M" or "MALE" or "L" or "LELAKI" => 'M',
            "F" or "FEMALE" or "P" or "PEREMPUAN" => 'F',
            _ => mykad is { } m ? (m.IsMale ? 'M' : 'F') : '\0',
        };
        var address = AddressNormaliser.Normalise(facts.Address, facts.Postcode, facts.State);
        var city = NameNormaliser.Normalise(facts.City);
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
            NameTokens = tokens.Distinct(StringComparer.Ordinal).Select(t => Text.Shared(t)).ToArray(),
            SurnameClans = clans.Distinct(StringComparer.Ordinal).ToArray(),
            DateOfBirth = Text.Shared(dob),
            Sex = sex,
            Identifiers = identifiers.Distinct().ToArray(),
            Street = address.Street.Length == 0 ? null : address.Street,
            Unit = Text.Shared(address.Unit),
            Postcode = Text.Shared(address.Postcode ?? Digits(facts.Postcode)),
            City = city.IsEmpty ? null : Text.Shared(city.Full),
            State = Text.Shared(address.State ?? Blank(facts.State?.Trim().ToUpperInvariant())),
            Phone = PhoneNormaliser.Normalise(facts.Phone) ?? (Digits(facts.Phone) is { Length: >= 6 } d ? d : null),
            Email = string.IsNullOrEmpty(email) || !email.Contains('@') ? null : email,
        };
    }

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

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

/// <summary>
/// Small text helpers normalising runs a million times in a full run, written without LINQ: its per-character
/// iterators and the hash sets behind Distinct() showed in normalising's profile (decision 7).
/// </summary>
static class Text
{
    /// <summary>
    /// One instance of a short string that many records carry: an agency, a name word, a date of birth, a postcode, a
    /// town. A full run keeps a million records and their source rows for its whole length, and the garbage collector
    /// pays for every object that outlives its first collection (decision 7). Sharing the repeated strings leaves it fewer to
    /// copy. Bounded, so odd input cannot grow it without end.
    /// </summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    public static string? Shared(string? value)
    {
        if (value is null)
        {
            return null;
        }
        if (s_shared.TryGetValue(value, out var shared))
        {
            return shared;
        }
        if (s_sharedCount < SharedCapacity && s_shared.TryAdd(value, value))
        {
            Interlocked.Increment(ref s_sharedCount);
        }
        return value;
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> s_shared = new(StringComparer.Ordinal);
    static int s_sharedCount;
    const int SharedCapacity = 1 << 20;

    /// <summary>The ASCII digits of the text, and its ASCII letters upper-cased when <paramref name="letters"/>.</summary>
    public static string Keep(string raw, bool letters)
    {
        Span<char> kept = raw.Length <= 256 ? stackalloc char[raw.Length] : new char[raw.Length];
        var length = 0;
        foreach (var c in raw)
        {
            if (char.IsAsciiDigit(c) || letters && char.IsAsciiLetter(c))
            {
                kept[length++] = char.ToUpperInvariant(c);
            }
        }
        return length == raw.Length ? raw.ToUpperInvariant() : new string(kept[..length]);
    }

    /// <summary>How many different characters the text has, counting no further than <paramref name="enough"/>.</summary>
    public static int DistinctCharacters(string text, int enough)
    {
        Span<char> seen = stackalloc char[enough];
        var count = 0;
        foreach (var c in text)
        {
            if (!seen[..count].Contains(c))
            {
                seen[count++] = c;
                if (count == enough)
                {
                    break;
                }
            }
        }
        return count;
    }
}

/// <summary>Dates of birth as eight digits, whatever order the source wrote them in.</summary>
public static class Dates
{
    /// <summary>yyyymmdd from yyyy-mm-dd, dd/mm/yyyy, yyyymmdd or ddmmyyyy; null when it cannot be read as a date at all.</summary>
    public static string? ToDigits(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        var parts = raw.Trim().Split(['-', '/', '.', ' '], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 3 && parts.All(p => p.All(char.IsAsciiDigit)))
        {
            return parts[0].Length == 4
                ? parts[0] + parts[1].PadLeft(2, '0') + parts[2].PadLeft(2, '0')
                : parts[2].Length == 4 ? parts[2] + parts[1].PadLeft(2, '0') + parts[0].PadLeft(2, '0') : null;
        }
        if (parts.Length == 1 && parts[0].Length == 8 && parts[0].All(char.IsAsciiDigit))
        {
            var d = parts[0];
            return d.StartsWith("19", StringComparison.Ordinal) || d.StartsWith("20", StringComparison.Ordinal) ? d : d[4..] + d[2..4] + d[..2];
        }
        return null;
    }
}
