namespace PaduHub.Matching;

/// <summary>Malaysian phone numbers to one form: digits only, national (0...), without +60.</summary>
public static class PhoneNormaliser
{
    public static string? Normalise(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        var digits = Text.Keep(raw, letters: false);
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
