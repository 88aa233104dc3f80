using System.Globalization;

namespace PaduHub.Samples;

/// <summary>
/// The generator's truth (truth/source_records.csv) keyed as the hub names source records: "AGENCY:source_key". The
/// generator writes JKM's two-column key (household, member number) as "JKM00000003-01"; the hub joins key columns
/// with '|' and reads the member number as a number ("JKM00000003|1").
/// </summary>
public static class SourceRecordTruth
{
    /// <summary>Hub record name to person id, for every source record the population's extracts and deltas hold.</summary>
    public static Dictionary<string, string> PersonOfRecord(string populationFolder)
    {
        var path = Path.Combine(populationFolder, "truth", "source_records.csv");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} does not exist: expected a folder made by padu generate");
        }
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()!.Split(',');
        int agency = Array.IndexOf(header, "agency"), key = Array.IndexOf(header, "source_key"), person = Array.IndexOf(header, "person_id");
        while (reader.ReadLine() is { } line)
        {
            // Truth fields are codes and ids: no quoting or commas inside them.
            var f = line.Split(',');
            map[HubName(f[agency], f[key])] = f[person];
        }
        return map;
    }

    public static string HubName(string agency, string sourceKey)
    {
        if (agency == "JKM" && sourceKey.LastIndexOf('-') is var dash and > 0)
        {
            var member = sourceKey[(dash + 1)..].TrimStart('0');
            sourceKey = sourceKey[..dash] + "|" + (member.Length == 0 ? "0" : member);
        }
        return string.Create(CultureInfo.InvariantCulture, $"{agency}:{sourceKey}");
    }
}

/// <summary>The generator's truth about people (truth/people.csv).</summary>
public static class PeopleTruth
{
    /// <summary>Person id to household id, for people alive at the end of the generated days.</summary>
    public static Dictionary<string, string> HouseholdOfLivingPerson(string populationFolder)
    {
        var path = Path.Combine(populationFolder, "truth", "people.csv");
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()!.Split(',');
        int person = Array.IndexOf(header, "person_id"), household = Array.IndexOf(header, "household_id"), died = Array.IndexOf(header, "died_on");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            // Names and employers may be quoted: split on unquoted commas only.
            var f = SplitQuoted(line);
            if (f[died].Length == 0)
            {
                map[f[person]] = f[household];
            }
        }
        return map;
    }

    /// <summary>One line of the truth CSVs into fields (<see cref="QuotedFields"/>).</summary>
    public static List<string> SplitQuoted(string line) => QuotedFields.Split(line, ',');
}
