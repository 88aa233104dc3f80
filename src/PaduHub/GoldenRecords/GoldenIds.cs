namespace PaduHub.GoldenRecords;

/// <summary>
/// Gives new clusters their golden ids so that ids stay put. Old ids are settled oldest first: each goes to the
/// cluster holding most of its records (its larger part keeps it after a split). A cluster that already took an older
/// id cannot take another: the younger id is retired and points at the cluster's id (after a merge the older id
/// survives). Clusters left without an id get a new one.
/// </summary>
public static class GoldenIds
{
    public sealed record Assignment(Dictionary<int, long> IdOfCluster, Dictionary<long, long> Retired, List<int> NewClusters);

    /// <param name="clusterOf">cluster of each record (any int labels)</param>
    /// <param name="previousGolden">golden id each record had before, or null for a record new to matching</param>
    /// <param name="nextId">hands out a fresh golden id</param>
    public static Assignment Assign(IReadOnlyList<int> clusterOf, IReadOnlyList<long?> previousGolden, Func<long> nextId)
    {
        // old id -> cluster -> how many of its records landed there
        var spread = new SortedDictionary<long, Dictionary<int, int>>();
        for (var i = 0; i < clusterOf.Count; i++)
        {
            if (previousGolden[i] is { } old)
            {
                if (!spread.TryGetValue(old, out var clusters))
                {
                    spread[old] = clusters = [];
                }
                clusters[clusterOf[i]] = clusters.GetValueOrDefault(clusterOf[i]) + 1;
            }
        }
        var idOfCluster = new Dictionary<int, long>();
        var retired = new Dictionary<long, long>();
        var pendingRetired = new Dictionary<long, int>();
        foreach (var (old, clusters) in spread)
        {
            var largest = clusters.OrderByDescending(c => c.Value).ThenBy(c => c.Key).First().Key;
            if (idOfCluster.TryAdd(largest, old))
            {
                continue;
            }
            pendingRetired[old] = largest;
        }
        var newClusters = new List<int>();
        foreach (var cluster in clusterOf.Distinct().Order())
        {
            if (!idOfCluster.ContainsKey(cluster))
            {
                idOfCluster[cluster] = nextId();
                newClusters.Add(cluster);
            }
        }
        foreach (var (old, cluster) in pendingRetired)
        {
            retired[old] = idOfCluster[cluster];
        }
        return new Assignment(idOfCluster, retired, newClusters);
    }
}
