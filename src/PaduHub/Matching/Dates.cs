using System.Text.RegularExpressions;

namespace PaduHub.Matching;

/// <summary>Dates of birth as eight digits, whatever order and form the source wrote them in.</summary>
public static partial class Dates
{
    /// <summary>
    /// yyyymmdd from yyyy-mm-dd, dd/mm/yyyy, yyyymmdd, ddmmyyyy, a month by its English or Malay name (12-MAR-1988,
    /// 12 Mac 1988, March 12, 1988), a two-digit year (12/03/88), or any of these with a time after it (a database
    /// export's 1988-03-12 00:00:00); null when it cannot be read as a date at all. A month written first is taken
    /// for a day only when the second number cannot be a month (03/25/1988). A system's default for "not known" (1900-01-01,
    /// the spreadsheets' 1899-12-30 and 31, SQL Server's 1753-01-01, a year before 1000) is no date: two strangers given
    /// it would agree on it. Other dates before 1900 are kept: a register of the long dead has them.
    /// </summary>
    public static string? ToDigits(string? raw) =>
        Read(raw) is { } digits && string.CompareOrdinal(digits, "10000101") >= 0 && !s_notKnown.Contains(digits) ? digits : null;

    static readonly HashSet<string> s_notKnown = new(["19000101", "18991230", "18991231", "18000101", "17530101"], StringComparer.Ordinal);

    /// <summary>Days since 1 January of year 1 for a yyyymmdd date; null when it is no real date (a 39th month, a 30th of February).</summary>
    public static int? DayNumber(string digits)
    {
        if (digits.Length != 8 || !int.TryParse(digits.AsSpan(0, 4), out var year) || !int.TryParse(digits.AsSpan(4, 2), out var month)
            || !int.TryParse(digits.AsSpan(6, 2), out var day) || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return null;
        }
        return new DateOnly(year, month, day).DayNumber;
    }

    static string? Read(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        // The two commonest forms, read without splitting: what the general reading below gives them, sooner.
        if (raw.Length == 10 && IsSeparator(raw[4]) && IsSeparator(raw[7]) && IsDigits(raw.AsSpan(0, 4)) && IsDigits(raw.AsSpan(5, 2))
            && IsDigits(raw.AsSpan(8, 2)))
        {
            return string.Concat(raw.AsSpan(0, 4), raw.AsSpan(5, 2), raw.AsSpan(8, 2));
        }
        if (raw.Length == 8 && IsDigits(raw))
        {
            return EightDigits(raw);
        }
        var text = TimeOfDay().Replace(raw.Trim(), "");
        var parts = text.Split(s_separators, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 1 && parts[0].Length == 8 && IsDigits(parts[0]))
        {
            return EightDigits(parts[0]);
        }
        if (parts.Length != 3)
        {
            return null;
        }
        var named = Array.FindIndex(parts, p => !IsDigits(p));
        if (named >= 0)
        {
            // A named month: the year is the four-digit part (or the last), the day what is left.
            if (MonthNamed(parts[named]) is not { } month || parts.Where((p, i) => i != named).Any(p => !IsDigits(p)))
            {
                return null;
            }
            var numbers = parts.Where((_, i) => i != named).ToArray();
            var (day, year) = numbers[0].Length == 4 ? (numbers[1], numbers[0]) : (numbers[0], numbers[1]);
            return Year(year) is { } y && day.Length <= 2 ? y + month.ToString("00") + day.PadLeft(2, '0') : null;
        }
        if (parts[0].Length == 4)
        {
            return parts[0] + parts[1].PadLeft(2, '0') + parts[2].PadLeft(2, '0');
        }
        if (parts[2].Length is not (4 or 2) || parts[0].Length > 2 || parts[1].Length > 2)
        {
            return null;
        }
        var (first, second) = (parts[0].PadLeft(2, '0'), parts[1].PadLeft(2, '0'));
        if (int.Parse(second) > 12 && int.Parse(first) <= 12)
        {
            (first, second) = (second, first);
        }
        return Year(parts[2]) is { } year4 ? year4 + second + first : null;
    }

    static readonly char[] s_separators = ['-', '/', '.', ' ', ','];

    static bool IsSeparator(char c) => Array.IndexOf(s_separators, c) >= 0;

    static bool IsDigits(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');

    /// <summary>yyyymmdd where eight digits read as one; else ddmmyyyy (20011990 is the 20th of January 1990, not a 19th month).</summary>
    static string EightDigits(string d)
    {
        var reversed = string.Concat(d.AsSpan(4), d.AsSpan(2, 2), d.AsSpan(0, 2));
        var asWritten = (d.StartsWith("19", StringComparison.Ordinal) || d.StartsWith("20", StringComparison.Ordinal)) && MonthAndDay(d);
        return asWritten || !MonthAndDay(reversed) ? d : reversed;
    }

    /// <summary>Whether a yyyymmdd string reads as a birth date: a year from 1850 to 2100, a month, a day of a month.</summary>
    static bool MonthAndDay(string d) => int.Parse(d.AsSpan(0, 4)) is >= 1850 and <= 2100 && int.Parse(d.AsSpan(4, 2)) is >= 1 and <= 12
        && int.Parse(d.AsSpan(6, 2)) is >= 1 and <= 31;

    /// <summary>A four-digit year as it is; a two-digit one in the century that puts it no later than this year.</summary>
    static string? Year(string year)
    {
        if (year.Length == 4)
        {
            return year;
        }
        if (year.Length != 2)
        {
            return null;
        }
        var now = DateTime.UtcNow.Year;
        var y = now / 100 * 100 + int.Parse(year);
        return (y > now ? y - 100 : y).ToString();
    }

    /// <summary>A month by the first three letters of its English or Malay name (MAC, MEI, OGOS, OKT, DIS are Malay).</summary>
    static int? MonthNamed(string word) => word.Length < 3 ? null : word[..3].ToUpperInvariant() switch
    {
        "JAN" => 1,
        "FEB" => 2,
        "MAR" or "MAC" => 3,
        "APR" => 4,
        "MAY" or "MEI" => 5,
        "JUN" => 6,
        "JUL" => 7,
        "AUG" or "OGO" => 8,
        "SEP" => 9,
        "OCT" or "OKT" => 10,
        "NOV" => 11,
        "DEC" or "DIS" => 12,
        _ => null,
    };

    [GeneratedRegex(@"[ T]\d{1,2}:\d{2}.*$")]
    private static partial Regex TimeOfDay();
}
