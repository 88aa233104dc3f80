using System.Text.RegularExpressions;

namespace PaduHub.Matching;

/// <summary>
/// Scores predicted clusters against true entities. Pairs are counted, never listed: n records in one cluster make
/// n(n-1)/2 pairs, and the pairs both sides agree on are counted per (cluster, entity) cell, so a million records
/// cost a dictionary, not a trillion comparisons.
/// </summary>
public static partial class PairwiseEvaluation
{
    /// <param name="predicted">record id to predicted cluster</param>
    /// <param name="truth">record id to true entity; records missing from it are refused</param>
    public static PairwiseScore Score(IReadOnlyDictionary<string, string> predicted, IReadOnlyDictionary<string, string> truth)
    {
        var missing = predicted.Keys.Where(k => !truth.ContainsKey(k)).Take(3).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"records without a truth entry (e.g. {string.Join(", ", missing)}); the truth must cover every clustered record");
        }
        var clusters = new Dictionary<string, long>(StringComparer.Ordinal);
        var entities = new Dictionary<string, long>(StringComparer.Ordinal);
        var cells = new Dictionary<(string, string), long>();
        foreach (var (record, cluster) in predicted)
        {
            var entity = truth[record];
            clusters[cluster] = clusters.GetValueOrDefault(cluster) + 1;
            entities[entity] = entities.GetValueOrDefault(entity) + 1;
            cells[(cluster, entity)] = cells.GetValueOrDefault((cluster, entity)) + 1;
        }
        static long Pairs(long n) => n * (n - 1) / 2;
        return new PairwiseScore(predicted.Count, entities.Values.Sum(Pairs), clusters.Values.Sum(Pairs), cells.Values.Sum(Pairs));
    }

    /// <summary>
    /// The same score for a link of sources: only pairs of records from different sources count, on both sides, so a
    /// clustering is not credited for pairs inside one file that nobody asked about.
    /// </summary>
    /// <param name="predicted">record id to predicted cluster</param>
    /// <param name="truth">record id to true entity</param>
    /// <param name="sourceOf">record id to the file it came from</param>
    public static PairwiseScore ScoreAcross(IReadOnlyDictionary<string, string> predicted, IReadOnlyDictionary<string, string> truth,
        IReadOnlyDictionary<string, string> sourceOf)
    {
        var clusters = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        var entities = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        var cells = new Dictionary<(string, string), Dictionary<string, long>>();
        static void Count<TKey>(Dictionary<TKey, Dictionary<string, long>> groups, TKey key, string source) where TKey : notnull
        {
            var bySource = groups.TryGetValue(key, out var found) ? found : groups[key] = new Dictionary<string, long>(StringComparer.Ordinal);
            bySource[source] = bySource.GetValueOrDefault(source) + 1;
        }
        foreach (var (record, cluster) in predicted)
        {
            var entity = truth.TryGetValue(record, out var e) ? e
                : throw new ArgumentException($"record {record} has no truth entry; the truth must cover every clustered record");
            var source = sourceOf[record];
            Count(clusters, cluster, source);
            Count(entities, entity, source);
            Count(cells, (cluster, entity), source);
        }
        // Pairs across sources in a group: (n^2 - the sum of each source's n^2) / 2.
        static long Across(Dictionary<string, long> bySource)
        {
            var n = bySource.Values.Sum();
            return ((n * n) - bySource.Values.Sum(x => x * x)) / 2;
        }
        return new PairwiseScore(predicted.Count, entities.Values.Sum(Across), clusters.Values.Sum(Across), cells.Values.Sum(Across));
    }

    [GeneratedRegex(@"^rec-(?<entity>\d+)-(?:org|dup-\d+)$")]
    private static partial Regex FebrlId();

    /// <summary>FEBRL encodes the truth in the record id: rec-12-org and rec-12-dup-0 are the same person 12.</summary>
    public static string? FebrlEntity(string recordId) =>
        FebrlId().Match(recordId.Trim()) is { Success: true } m ? m.Groups["entity"].Value : null;
}
