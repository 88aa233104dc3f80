namespace PaduHub.Matching;

/// <summary>
/// The true pairs a clustering missed, by class: a true pair counts in every class either of its records carries
/// ("clean" when neither carries any), so a breakdown says which phenomena (a missing IC, a married name, a move) the
/// misses come from. Classes come with the truth: a column of them per record.
/// </summary>
public static class MissesByClass
{
    public sealed record ClassCount(string Class, long TruePairs, long Missed)
    {
        public double MissedShare => TruePairs == 0 ? 0 : (double)Missed / TruePairs;
    }

    /// <param name="predicted">record id to predicted cluster</param>
    /// <param name="truth">record id to true entity</param>
    /// <param name="classesOf">record id to its classes</param>
    public static List<ClassCount> Of(IReadOnlyDictionary<string, string> predicted, IReadOnlyDictionary<string, string> truth,
        IReadOnlyDictionary<string, string[]> classesOf)
    {
        var counts = new Dictionary<string, (long True, long Missed)>(StringComparer.Ordinal);
        foreach (var entity in predicted.Keys.Where(truth.ContainsKey).GroupBy(r => truth[r], StringComparer.Ordinal))
        {
            var records = entity.ToList();
            for (var i = 0; i < records.Count; i++)
            {
                for (var j = i + 1; j < records.Count; j++)
                {
                    var missed = predicted[records[i]] != predicted[records[j]];
                    var classes = classesOf.GetValueOrDefault(records[i], []).Union(classesOf.GetValueOrDefault(records[j], [])).DefaultIfEmpty("clean");
                    foreach (var c in classes)
                    {
                        var (t, m) = counts.GetValueOrDefault(c);
                        counts[c] = (t + 1, m + (missed ? 1 : 0));
                    }
                }
            }
        }
        return [.. counts.Select(c => new ClassCount(c.Key, c.Value.True, c.Value.Missed)).OrderByDescending(c => c.Missed).ThenBy(c => c.Class, StringComparer.Ordinal)];
    }
}
