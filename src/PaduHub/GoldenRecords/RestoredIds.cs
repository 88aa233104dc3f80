using Dapper;
using Npgsql;

namespace PaduHub.GoldenRecords;

/// <summary>
/// When records that were merged into a golden person come apart again (a steward's merge undone, a split), the part
/// that was once a golden person of its own gets that person's id back, instead of a new one: a policy system that
/// held the old id finds its person again, not a redirect to someone else. The history says "restored".
/// </summary>
static class RestoredIds
{
    /// <summary>
    /// For each cluster that would get a new id although all its records were in golden records before (a part split
    /// off), the retired id whose records it mostly is, if any. Only ids retired into the golden records the part came
    /// from are candidates (found through <c>golden_person_successor</c>), so an ordinary run asks nothing.
    /// </summary>
    public static async Task<Dictionary<int, long>> FindAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<SourcePerson> people,
        int[] clusterOf, GoldenIds.Assignment assignment, long?[] previousGolden)
    {
        var newClusters = assignment.NewClusters.ToHashSet();
        var splitOff = Enumerable.Range(0, people.Count).Where(i => newClusters.Contains(clusterOf[i])).GroupBy(i => clusterOf[i])
            .Where(g => g.All(i => previousGolden[i] is not null)).ToList();
        if (splitOff.Count == 0)
        {
            return [];
        }
        var cameFrom = splitOff.SelectMany(g => g.Select(i => previousGolden[i]!.Value)).Distinct().ToArray();
        // Each retired id's members as they were before it was merged away (its last version with members).
        var formerly = (await connection.QueryAsync<(long Id, long[] Members)>("""
            select r.id, h.members from golden_person r
            join lateral (select members from golden_person_history h where h.golden_id = r.id and cardinality(h.members) > 0
                          order by h.version desc limit 1) h on true
            where r.successor_id = any(@cameFrom) and r.status = 'retired'
            """, new { cameFrom }, tx)).ToList();
        var restored = new Dictionary<int, long>();
        var taken = new HashSet<long>();
        foreach (var part in splitOff)
        {
            var records = part.Select(i => people[i].Id).ToHashSet();
            var best = formerly.Where(f => !taken.Contains(f.Id)).Select(f => (f.Id, Shared: f.Members.Count(records.Contains)))
                .Where(f => f.Shared * 2 > records.Count).OrderByDescending(f => f.Shared).ThenBy(f => f.Id).FirstOrDefault();
            if (best.Id != 0)
            {
                restored[part.Key] = best.Id;
                taken.Add(best.Id);
            }
        }
        return restored;
    }
}
