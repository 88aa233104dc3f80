namespace PaduHub.Matching;

/// <summary>Malaysian phone numbers to one form: digits only, national (0...), without +60.</summary>
public static class PhoneNormaliser
{
    /// <summary>The first number that reads as Malaysian when a field holds several (012-345 6789 / 03-1234 5678).</summary>
    public static string? Normalise(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        if (raw.IndexOfAny(s_between) < 0)
        {
            return One(raw);
        }
        foreach (var part in raw.Split(s_between, StringSplitOptions.RemoveEmptyEntries))
        {
            if (One(part) is { } phone)
            {
                return phone;
            }
        }
        return null;
    }

    static readonly char[] s_between = ['/', ',', ';', '&', '|'];

    static string? One(string raw)
    {
        var digits = Text.Keep(raw, letters: false);
        if (digits.StartsWith("0060", StringComparison.Ordinal))
        {
            digits = digits[2..]; // dialled from abroad: 00 for +
        }
        if (digits.StartsWith("60", StringComparison.Ordinal) && digits.Length >= 11)
        {
            digits = "0" + digits[2..];
        }
        else if (!digits.StartsWith('0') && digits.Length is 9 or 10)
        {
            digits = "0" + digits;
        }
        // 01X mobiles have 10-11 digits, 0X landlines 9-10; anything else is not a number to match on.
        return digits.Length is >= 9 and <= 11 && digits[0] == '0' && Text.DistinctCharacters(digits, 3) > 2 ? digits : null;
    }
}
