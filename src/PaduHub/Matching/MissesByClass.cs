namespace PaduHub.Matching;

/// <summary>
/// The true pairs a clustering missed, by class: a true pair counts in every class either of its records carries
/// ("clean" when neither carries any), so a breakdown says which phenomena (a missing IC, a married name, a move) the
/// misses come from. Classes come with the truth: a column of them per record. A miss whose records agree on nothing but
/// a name (<see cref="ClassCount.MissedSharingOnlyAName"/>) is told apart: no model should link those, so a class's share
/// of the other misses is the one to hold against a target.
/// </summary>
public static class MissesByClass
{
    public sealed record ClassCount(string Class, long TruePairs, long Missed, long MissedSharingOnlyAName = 0)
    {
        public double MissedShare => TruePairs == 0 ? 0 : (double)Missed / TruePairs;

        /// <summary>The share of the class's true pairs missed though their records share more than a name.</summary>
        public double MissedOtherwiseShare => TruePairs == 0 ? 0 : (double)(Missed - MissedSharingOnlyAName) / TruePairs;
    }

    /// <summary>The comparisons a pair may agree on and still share nothing but a name: the name's, and sex, which half the people share.</summary>
    public static bool IsNameOrSex(string comparison) => comparison is "full_name" or "given_name" or "surname" or "sex";

    /// <param name="predicted">record id to predicted cluster</param>
    /// <param name="truth">record id to true entity</param>
    /// <param name="classesOf">record id to its classes</param>
    /// <param name="sharesOnlyAName">whether two records (in either order) agree on nothing but a name; null when not known</param>
    public static List<ClassCount> Of(IReadOnlyDictionary<string, string> predicted, IReadOnlyDictionary<string, string> truth,
        IReadOnlyDictionary<string, string[]> classesOf, Func<string, string, bool>? sharesOnlyAName = null)
    {
        var counts = new Dictionary<string, (long True, long Missed, long OnlyAName)>(StringComparer.Ordinal);
        foreach (var entity in predicted.Keys.Where(truth.ContainsKey).GroupBy(r => truth[r], StringComparer.Ordinal))
        {
            var records = entity.ToList();
            for (var i = 0; i < records.Count; i++)
            {
                for (var j = i + 1; j < records.Count; j++)
                {
                    var missed = predicted[records[i]] != predicted[records[j]];
                    var onlyAName = missed && sharesOnlyAName is not null && sharesOnlyAName(records[i], records[j]);
                    var classes = classesOf.GetValueOrDefault(records[i], []).Union(classesOf.GetValueOrDefault(records[j], [])).DefaultIfEmpty("clean");
                    foreach (var c in classes)
                    {
                        var (t, m, n) = counts.GetValueOrDefault(c);
                        counts[c] = (t + 1, m + (missed ? 1 : 0), n + (onlyAName ? 1 : 0));
                    }
                }
            }
        }
        return [.. counts.Select(c => new ClassCount(c.Key, c.Value.True, c.Value.Missed, c.Value.OnlyAName)).OrderByDescending(c => c.Missed).ThenBy(c => c.Class, StringComparer.Ordinal)];
    }
}
