namespace PaduHub.Matching;

/// <summary>
/// The true pairs a clustering missed and the pairs it joined wrongly, by class: a pair counts in every class either of
/// its records carries ("clean" when neither carries any), so a breakdown says which phenomena (a missing IC, a married
/// name, a move) the misses and wrong joins come from, and each class gets its own F1. Classes come with the truth: a column of them per record. A miss whose records agree on nothing but
/// a name (<see cref="ClassCount.MissedSharingOnlyAName"/>) is told apart: no model should link those, so a class's share
/// of the other misses is the one to hold against a target.
/// </summary>
public static class MissesByClass
{
    public sealed record ClassCount(string Class, long TruePairs, long Missed, long MissedSharingOnlyAName = 0, long WronglyJoined = 0)
    {
        public double MissedShare => TruePairs == 0 ? 0 : (double)Missed / TruePairs;

        /// <summary>Pairwise F1 of the pairs that touch the class: its true pairs found and missed, and its records joined to someone else's.</summary>
        public double F1 => TruePairs == Missed ? 0 : 2.0 * (TruePairs - Missed) / (2.0 * (TruePairs - Missed) + Missed + WronglyJoined);

        /// <summary>The share of the class's true pairs missed though their records share more than a name.</summary>
        public double MissedOtherwiseShare => TruePairs == 0 ? 0 : (double)(Missed - MissedSharingOnlyAName) / TruePairs;
    }

    /// <summary>The comparisons a pair may agree on and still share nothing but a name: the name's, and sex, which half the people share.</summary>
    public static bool IsNameOrSex(string comparison) => comparison is "full_name" or "given_name" or "surname" or "sex";

    /// <param name="predicted">record id to predicted cluster</param>
    /// <param name="truth">record id to true entity</param>
    /// <param name="classesOf">record id to its classes</param>
    /// <param name="sharesOnlyAName">whether two records (in either order) agree on nothing but a name; null when not known</param>
    /// <param name="counts">whether a pair of records counts at all (a link of files: only pairs across them); null for every pair</param>
    public static List<ClassCount> Of(IReadOnlyDictionary<string, string> predicted, IReadOnlyDictionary<string, string> truth,
        IReadOnlyDictionary<string, string[]> classesOf, Func<string, string, bool>? sharesOnlyAName = null, Func<string, string, bool>? counts = null)
    {
        var byClass = new Dictionary<string, (long True, long Missed, long OnlyAName, long Wrong)>(StringComparer.Ordinal);
        foreach (var (a, b) in PairsWithin(predicted.Keys.Where(truth.ContainsKey).GroupBy(r => truth[r], StringComparer.Ordinal), counts))
        {
            var missed = predicted[a] != predicted[b];
            var onlyAName = missed && sharesOnlyAName is not null && sharesOnlyAName(a, b);
            foreach (var c in ClassesOf(a, b))
            {
                var (t, m, n, w) = byClass.GetValueOrDefault(c);
                byClass[c] = (t + 1, m + (missed ? 1 : 0), n + (onlyAName ? 1 : 0), w);
            }
        }
        foreach (var (a, b) in PairsWithin(predicted.Keys.Where(truth.ContainsKey).GroupBy(r => predicted[r], StringComparer.Ordinal), counts))
        {
            if (truth[a] != truth[b])
            {
                foreach (var c in ClassesOf(a, b))
                {
                    var (t, m, n, w) = byClass.GetValueOrDefault(c);
                    byClass[c] = (t, m, n, w + 1);
                }
            }
        }
        return [.. byClass.Select(c => new ClassCount(c.Key, c.Value.True, c.Value.Missed, c.Value.OnlyAName, c.Value.Wrong))
            .OrderByDescending(c => c.Missed).ThenByDescending(c => c.WronglyJoined).ThenBy(c => c.Class, StringComparer.Ordinal)];

        IEnumerable<string> ClassesOf(string a, string b) =>
            classesOf.GetValueOrDefault(a, []).Union(classesOf.GetValueOrDefault(b, [])).DefaultIfEmpty("clean");
    }

    static IEnumerable<(string A, string B)> PairsWithin(IEnumerable<IGrouping<string, string>> groups, Func<string, string, bool>? counts)
    {
        foreach (var group in groups)
        {
            var records = group.ToList();
            for (var i = 0; i < records.Count; i++)
            {
                for (var j = i + 1; j < records.Count; j++)
                {
                    if (counts is null || counts(records[i], records[j]))
                    {
                        yield return (records[i], records[j]);
                    }
                }
            }
        }
    }
}
