using System.Collections.Concurrent;
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

    /// <summary>The document type a number's shape suggests, for agencies that do not say (<see cref="IdentifierKinds.Infer"/>).</summary>
    public static string InferIdType(string value) => IdentifierKinds.Infer(value);

    /// <summary>
    /// Dates in a fixed-width format of digits and separators (yyyyMMdd, yyyy-MM-dd, dd/MM/yyyy...) read by hand, as
    /// <see cref="DateOnly.TryParseExact(string, string, IFormatProvider, DateTimeStyles, out DateOnly)"/> would read
    /// them and at a fifth of its cost: a million-row extract has a million or more dates. Null for any other format.
    /// </summary>
    static readonly ConcurrentDictionary<string, bool> s_fixedDateFormats = new(StringComparer.Ordinal);

    internal static bool? TryParseFixedDate(string raw, string format, out DateOnly date)
    {
        date = default;
        if (!s_fixedDateFormats.GetOrAdd(format, f => f.Length is 8 or 10 && f.All(c => c is 'y' or 'M' or 'd' or '-' or '/' or '.')
                && f.Count(c => c == 'y') == 4 && f.Count(c => c == 'M') == 2 && f.Count(c => c == 'd') == 2))
        {
            return null;
        }
        if (raw.Length != format.Length)
        {
            return false;
        }
        int year = 0, month = 0, day = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = raw[i];
            switch (format[i])
            {
                case 'y' when char.IsAsciiDigit(c): year = year * 10 + (c - '0'); break;
                case 'M' when char.IsAsciiDigit(c): month = month * 10 + (c - '0'); break;
                case 'd' when char.IsAsciiDigit(c): day = day * 10 + (c - '0'); break;
                case var separator when separator is '-' or '/' or '.' && c == separator: break;
                default: return false;
            }
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }
        date = new DateOnly(year, month, day);
        return true;
    }

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
                return TryCleanIdNumber(raw, idType, today, out value, out reason);
            case "date":
                return TryCleanDate(column, raw, today, out value, out reason);
            case "money":
                return TryCleanMoney(raw, out value, out reason);
            case "postcode":
                if (raw.Length == 5 && raw.All(char.IsAsciiDigit) && int.Parse(raw, CultureInfo.InvariantCulture) is >= 1000 and <= 98859)
                {
                    value = raw;
                    return true;
                }
                reason = "is not a Malaysian postcode (5 digits, 01000-98859)";
                return false;
            case "phone":
                return TryCleanPhone(raw, out value, out reason);
            case "code":
                return TryCleanCode(column, raw, out value, out reason);
            default:
                value = raw;
                return true;
        }
    }

    /// <summary>A MyKad or MyPR is checked by its structure; any other document's number is kept as sent, spaces out.</summary>
    static bool TryCleanIdNumber(string raw, string? idType, DateOnly today, out object? value, out string? reason)
    {
        (value, reason) = (null, null);
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
    }

    static bool TryCleanDate(ContractColumn column, string raw, DateOnly today, out object? value, out string? reason)
    {
        (value, reason) = (null, null);
        foreach (var format in column.Formats)
        {
            if (TryParseFixedDate(raw, format, out var date)
                ?? DateOnly.TryParseExact(raw, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
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
    }

    static bool TryCleanMoney(string raw, out object? value, out string? reason)
    {
        (value, reason) = (null, null);
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
    }

    static bool TryCleanPhone(string raw, out object? value, out string? reason)
    {
        (value, reason) = (null, null);
        var digits = new string(raw.Where(char.IsAsciiDigit).ToArray());
        if (raw.All(c => char.IsAsciiDigit(c) || c is ' ' or '-' or '+' or '(' or ')') && digits.Length is >= 7 and <= 15)
        {
            value = digits.StartsWith("60", StringComparison.Ordinal) && digits.Length >= 11 ? "0" + digits[2..] : digits;
            return true;
        }
        reason = "is not a phone number (7 to 15 digits)";
        return false;
    }

    static bool TryCleanCode(ContractColumn column, string raw, out object? value, out string? reason)
    {
        (value, reason) = (null, null);
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
    }
}
