namespace PaduHub.Matching;

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
