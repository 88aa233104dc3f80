using System.Globalization;

namespace PaduHub.Identity;

/// <summary>
/// The 12-digit Malaysian identity card number, YYMMDD-PB-###G: date of birth, place-of-birth code, a serial,
/// and a last digit that is odd for men and even for women. There is no checksum, so "valid" means: 12 digits,
/// a real date, a known place-of-birth code, and not a placeholder. The century is inferred: the latest
/// date not after the reference date (MyKad holders are alive, so at most ~100 years old).
/// </summary>
public static class MyKad
{
    /// <summary>State and territory codes, then the foreign and special codes JPN publishes.</summary>
    static readonly HashSet<int> s_placeOfBirthCodes = BuildCodes();

    static HashSet<int> BuildCodes()
    {
        var codes = new HashSet<int>();
        codes.UnionWith(Enumerable.Range(1, 16));   // 01 Johor .. 16 WP Putrajaya
        codes.UnionWith(Enumerable.Range(21, 39));  // 21-59 additional state codes
        codes.UnionWith(Enumerable.Range(60, 9));   // 60-68 specific countries
        codes.UnionWith(Enumerable.Range(71, 2));   // 71-72 abroad, unspecified
        codes.UnionWith(Enumerable.Range(74, 6));   // 74-79 specific countries
        codes.UnionWith(Enumerable.Range(82, 12));  // 82 state unknown, 83-93 regions
        codes.Add(98);                              // stateless
        codes.Add(99);                              // no information / refugee
        return codes;
    }

    /// <summary>The state each primary and additional place-of-birth code belongs to (01-16, 21-59).</summary>
    public static readonly IReadOnlyDictionary<string, int[]> StateCodes = new Dictionary<string, int[]>
    {
        ["JOHOR"] = [1, 21, 22, 23, 24],
        ["KEDAH"] = [2, 25, 26, 27],
        ["KELANTAN"] = [3, 28, 29],
        ["MELAKA"] = [4, 30],
        ["NEGERI SEMBILAN"] = [5, 31, 59],
        ["PAHANG"] = [6, 32, 33],
        ["PULAU PINANG"] = [7, 34, 35],
        ["PERAK"] = [8, 36, 37, 38, 39],
        ["PERLIS"] = [9, 40],
        ["SELANGOR"] = [10, 41, 42, 43, 44],
        ["TERENGGANU"] = [11, 45, 46],
        ["SABAH"] = [12, 47, 48, 49],
        ["SARAWAK"] = [13, 50, 51, 52, 53],
        ["WP KUALA LUMPUR"] = [14, 54, 55, 56, 57],
        ["WP LABUAN"] = [15, 58],
        ["WP PUTRAJAYA"] = [16],
    };

    /// <summary>Numbers agencies type when they do not know the real one.</summary>
    public static bool IsPlaceholder(string digits) =>
        digits.Length == 0 || !digits.AsSpan(1).ContainsAnyExcept(digits[0]) || digits is "123456789012" or "123456123456";

    /// <summary>Strips the usual separators (dashes, spaces, dots); returns null if anything else is left over.</summary>
    public static string? Digits(string? raw)
    {
        if (raw is null)
        {
            return null;
        }
        Span<char> buffer = stackalloc char[Math.Min(raw.Length, 64)];
        var n = 0;
        foreach (var c in raw)
        {
            if (c is '-' or ' ' or '.' or '\t')
            {
                continue;
            }
            if (!char.IsAsciiDigit(c) || n == buffer.Length)
            {
                return null;
            }
            buffer[n++] = c;
        }
        return n == raw.Length ? raw : new string(buffer[..n]);
    }

    /// <summary>The facts in a well-formed number, or null with the reason it is not one.</summary>
    public static MyKadFacts? Parse(string? raw, DateOnly referenceDate, out string? reason)
    {
        var digits = Digits(raw);
        if (digits is null)
        {
            reason = "contains characters other than digits and dashes";
            return null;
        }
        if (digits.Length != 12)
        {
            reason = $"has {digits.Length} digits, a MyKad number has 12";
            return null;
        }
        if (IsPlaceholder(digits))
        {
            reason = "is a placeholder, not a real number";
            return null;
        }
        var yy = int.Parse(digits.AsSpan(0, 2), CultureInfo.InvariantCulture);
        var mm = int.Parse(digits.AsSpan(2, 2), CultureInfo.InvariantCulture);
        var dd = int.Parse(digits.AsSpan(4, 2), CultureInfo.InvariantCulture);
        var year = 2000 + yy;
        if (year > referenceDate.Year)
        {
            year -= 100;
        }
        if (mm is < 1 or > 12 || dd < 1 || dd > DateTime.DaysInMonth(year, mm))
        {
            reason = "does not start with a real date of birth (YYMMDD)";
            return null;
        }
        var dob = new DateOnly(year, mm, dd);
        if (dob > referenceDate)
        {
            // 2000+yy landed in the future within the reference year: the person was born a century earlier.
            dob = dob.AddYears(-100);
        }
        var pb = int.Parse(digits.AsSpan(6, 2), CultureInfo.InvariantCulture);
        if (!s_placeOfBirthCodes.Contains(pb))
        {
            reason = $"has place-of-birth code {pb:00}, which JPN does not use";
            return null;
        }
        reason = null;
        return new MyKadFacts(digits, dob, digits.Substring(6, 2), (digits[11] - '0') % 2 == 1);
    }

    public static bool IsValid(string? raw, DateOnly referenceDate) => Parse(raw, referenceDate, out _) is not null;

    /// <summary>Builds a number from its parts; the serial's last digit is forced to the right parity for the sex.</summary>
    public static string Compose(DateOnly dateOfBirth, int placeOfBirthCode, int serial, bool isMale)
    {
        var last = serial % 10;
        if (isMale != (last % 2 == 1))
        {
            last = (last + 1) % 10;
        }
        var fourDigits = serial / 10 * 10 + last;
        return string.Create(CultureInfo.InvariantCulture, $"{dateOfBirth:yyMMdd}{placeOfBirthCode:00}{fourDigits:0000}");
    }

    /// <summary>"850312-14-5573": the printed form. Never log it: use <see cref="Mask"/>.</summary>
    public static string Format(string digits) => digits.Length == 12 ? $"{digits[..6]}-{digits[6..8]}-{digits[8..]}" : digits;

    /// <summary>"85****-**-**73": enough for a person to recognise their own number, not enough to use it.</summary>
    public static string Mask(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return "(none)";
        }
        return raw.Length <= 4 ? new string('*', raw.Length) : raw[..2] + new string('*', raw.Length - 4) + raw[^2..];
    }
}
