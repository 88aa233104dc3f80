using System.Globalization;
using System.Text.RegularExpressions;
using PaduHub.Identity;

namespace PaduHub.Ingestion;

/// <summary>
/// Cleans one value by its column's rule. Reasons never repeat the value itself: they go into receipts, logs and
/// rejected_row.reason, and the value may be an IC number or a name (the raw line is kept separately).
/// </summary>
public static partial class FieldRules
{
    /// <summary>Trims and folds runs of whitespace; agencies pad and double-space freely.</summary>
    public static string Tidy(string raw)
    {
        var trimmed = raw.Trim();
        if (!trimmed.Contains("  ", StringComparison.Ordinal) && trimmed.IndexOfAny(['\t', '\u00A0']) < 0)
        {
            return trimmed;
        }
        return MultipleSpaces().Replace(trimmed.Replace('\u00A0', ' '), " ");
    }

    [GeneratedRegex(@"\s{2,}|\t")]
    private static partial Regex MultipleSpaces();

    /// <summary>The document type a number's shape suggests, for agencies that do not say.</summary>
    public static string InferIdType(string value)
    {
        var digits = MyKad.Digits(value);
        if (digits is { Length: 12 })
        {
            return "MYKAD";
        }
        var upper = value.Trim().ToUpperInvariant();
        return upper switch
        {
            _ when PoliceNumber().IsMatch(upper) => "POLICE",
            _ when ArmyNumber().IsMatch(upper) => "ARMY",
            _ when OldIc().IsMatch(upper) => "OLD_IC",
            _ when BirthCertificate().IsMatch(upper) => "BIRTH_CERT",
            _ when Passport().IsMatch(upper) => "PASSPORT",
            _ => "OTHER",
        };
    }

    [GeneratedRegex(@"^RF\d{6}$")] private static partial Regex PoliceNumber();
    [GeneratedRegex(@"^T\d{7}$")] private static partial Regex ArmyNumber();
    [GeneratedRegex(@"^[A-Z]?\d{7}$")] private static partial Regex OldIc();
    [GeneratedRegex(@"^[A-Z]{2}\d{6}$")] private static partial Regex BirthCertificate();
    [GeneratedRegex(@"^[A-Z]\d{8}$")] private static partial Regex Passport();

    /// <summary>Cleans <paramref name="raw"/> (already tidied, not empty); false with a reason when it breaks the rule.</summary>
    public static bool TryClean(ContractColumn column, string raw, string? idType, DateOnly today, out object? value, out string? reason)
    {
        value = null;
        reason = null;
        if (raw.Length > column.MaxLength)
        {
            reason = $"is {raw.Length:N0} characters long; the limit is {column.MaxLength:N0}";
            return false;
        }
        switch (column.Rule)
        {
            case "mykad":
                if (idType is "MYKAD" or "MYPR")
                {
                    if (MyKad.Parse(raw, today, out var why) is not { } facts)
                    {
                        reason = $"is not a valid MyKad number: it {why}";
                        return false;
                    }
                    value = facts.Number;
                    return true;
                }
                value = raw.ToUpperInvariant().Replace(" ", "", StringComparison.Ordinal);
                return true;
            case "date":
                foreach (var format in column.Formats)
                {
                    if (DateOnly.TryParseExact(raw, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    {
                        if (date < new DateOnly(1900, 1, 1) || date > today.AddDays(1))
                        {
                            reason = date > today ? "is a date in the future" : "is a date before 1900";
                            return false;
                        }
                        value = date;
                        return true;
                    }
                }
                reason = $"is not a date in the format {string.Join(" or ", column.Formats)}";
                return false;
            case "money":
                var amount = raw.Replace(",", "", StringComparison.Ordinal);
                if (amount.StartsWith("RM", StringComparison.OrdinalIgnoreCase))
                {
                    amount = amount[2..].Trim();
                }
                if (decimal.TryParse(amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var money) && money < 1_000_000_000_000m)
                {
                    value = money;
                    return true;
                }
                reason = "is not an amount in ringgit (digits with an optional decimal point)";
                return false;
            case "postcode":
                if (raw.Length == 5 && raw.All(char.IsAsciiDigit) && int.Parse(raw, CultureInfo.InvariantCulture) is >= 1000 and <= 98859)
                {
                    value = raw;
                    return true;
                }
                reason = "is not a Malaysian postcode (5 digits, 01000-98859)";
                return false;
            case "phone":
                var digits = new string(raw.Where(char.IsAsciiDigit).ToArray());
                if (raw.All(c => char.IsAsciiDigit(c) || c is ' ' or '-' or '+' or '(' or ')') && digits.Length is >= 7 and <= 15)
                {
                    value = digits.StartsWith("60", StringComparison.Ordinal) && digits.Length >= 11 ? "0" + digits[2..] : digits;
                    return true;
                }
                reason = "is not a phone number (7 to 15 digits)";
                return false;
            case "code":
                foreach (var (code, meaning) in column.Values!)
                {
                    if (string.Equals(code, raw, StringComparison.OrdinalIgnoreCase))
                    {
                        value = meaning;
                        return true;
                    }
                }
                reason = $"is not one of the codes {string.Join(", ", column.Values.Keys)}";
                return false;
            default:
                value = raw;
                return true;
        }
    }
}
