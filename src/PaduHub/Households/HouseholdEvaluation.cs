using PaduHub.Matching;

namespace PaduHub.Households;

public static class HouseholdEvaluation
{
    /// <param name="formed">person -> formed household</param>
    /// <param name="truth">person -> true household</param>
    public static HouseholdScore Score(IReadOnlyDictionary<string, string> formed, IReadOnlyDictionary<string, string> truth)
    {
        var people = formed.Keys.Where(truth.ContainsKey).ToHashSet(StringComparer.Ordinal);
        static Dictionary<string, string> Key(IEnumerable<IGrouping<string, string>> groups) =>
            groups.ToDictionary(g => string.Join(',', g.Order(StringComparer.Ordinal)), g => g.Key, StringComparer.Ordinal);
        var formedSets = Key(people.GroupBy(p => formed[p], StringComparer.Ordinal));
        var trueSets = Key(people.GroupBy(p => truth[p], StringComparer.Ordinal));
        var exact = formedSets.Keys.Count(trueSets.ContainsKey);
        var pairs = PairwiseEvaluation.Score(people.ToDictionary(p => p, p => formed[p]), people.ToDictionary(p => p, p => truth[p]));
        return new HouseholdScore(formedSets.Count, trueSets.Count, exact, pairs);
    }
}
