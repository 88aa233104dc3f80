namespace PaduHub.Samples;

/// <summary>
/// A clustering of a generated population, broken down by class: the true pairs missed, and the people wrongly joined.
/// A true pair is in every class either of its records carries (the noise the generator applied, an IC sent as
/// something other than a valid MyKad), "clean" when neither carries any; a hard negative (twins, look-alike
/// siblings, namesakes) counts as joined when any record of one person shares a cluster with any record of the other.
/// </summary>
public static class ClassBreakdown
{
    public sealed record PairClass(string Name, long TruePairs, long Missed);

    public sealed record HardNegativeKind(string Kind, long PairsOfPeople, long Joined);

    /// <param name="populationFolder">a folder made by padu generate</param>
    /// <param name="clusterOf">hub record name (AGENCY:key) to cluster</param>
    public static (List<PairClass> Pairs, List<HardNegativeKind> HardNegatives) Of(string populationFolder, IReadOnlyDictionary<string, string> clusterOf)
    {
        var classesOf = RecordClasses(populationFolder);
        var byPerson = classesOf.Where(r => clusterOf.ContainsKey(r.Key)).GroupBy(r => r.Value.Person, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Key).ToList(), StringComparer.Ordinal);

        var pairs = new Dictionary<string, (long True, long Missed)>(StringComparer.Ordinal);
        foreach (var records in byPerson.Values)
        {
            for (var i = 0; i < records.Count; i++)
            {
                for (var j = i + 1; j < records.Count; j++)
                {
                    var missed = clusterOf[records[i]] != clusterOf[records[j]];
                    foreach (var kind in classesOf[records[i]].Classes.Union(classesOf[records[j]].Classes).DefaultIfEmpty("clean"))
                    {
                        var (t, m) = pairs.GetValueOrDefault(kind);
                        pairs[kind] = (t + 1, m + (missed ? 1 : 0));
                    }
                }
            }
        }

        var joined = new Dictionary<string, (long Pairs, long Joined)>(StringComparer.Ordinal);
        var negatives = Path.Combine(populationFolder, "truth", "hard_negatives.csv");
        foreach (var line in File.Exists(negatives) ? File.ReadLines(negatives).Skip(1) : [])
        {
            var f = line.Split(',');
            if (byPerson.TryGetValue(f[0], out var a) && byPerson.TryGetValue(f[1], out var b))
            {
                var clustersOfA = a.Select(r => clusterOf[r]).ToHashSet(StringComparer.Ordinal);
                var (n, x) = joined.GetValueOrDefault(f[2]);
                joined[f[2]] = (n + 1, x + (b.Any(r => clustersOfA.Contains(clusterOf[r])) ? 1 : 0));
            }
        }
        return (pairs.Select(p => new PairClass(p.Key, p.Value.True, p.Value.Missed)).OrderByDescending(p => p.TruePairs).ToList(),
            joined.Select(j => new HardNegativeKind(j.Key, j.Value.Pairs, j.Value.Joined)).OrderByDescending(j => j.PairsOfPeople).ToList());
    }

    /// <summary>Hub record name to its person and classes, from truth/source_records.csv.</summary>
    static Dictionary<string, (string Person, string[] Classes)> RecordClasses(string populationFolder)
    {
        var path = Path.Combine(populationFolder, "truth", "source_records.csv");
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()!.Split(',');
        int agency = Array.IndexOf(header, "agency"), key = Array.IndexOf(header, "source_key"), person = Array.IndexOf(header, "person_id"),
            idStatus = Array.IndexOf(header, "id_status"), noise = Array.IndexOf(header, "noise");
        var map = new Dictionary<string, (string, string[])>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            // Truth fields are codes and ids: no quoting or commas inside them.
            var f = line.Split(',');
            var classes = f[noise].Split(';', StringSplitOptions.RemoveEmptyEntries).ToList();
            // The IC's own status names the documents noise does not (an old IC, a birth certificate, a service number).
            if (f[idStatus] is { Length: > 0 } status && status is not ("valid" or "missing" or "typo" or "transposed" or "placeholder"))
            {
                classes.Add("ic " + status);
            }
            map[SourceRecordTruth.HubName(f[agency], f[key])] = (f[person], [.. classes]);
        }
        return map;
    }
}
