using Dapper;
using Npgsql;

namespace PaduHub.GoldenRecords;

/// <summary>Steward decisions between the records of one run, as positions in its list of records.</summary>
sealed record StewardDecisions(List<(int, int)> MustLink, List<(int, int)> CannotLink, List<(int, int, bool)> All)
{
    /// <remarks><c>among</c>: only decisions between these records; null for every decision.</remarks>
    public static async Task<StewardDecisions> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<SourcePerson> people, long[]? among)
    {
        var position = new Dictionary<long, int>(people.Count);
        for (var i = 0; i < people.Count; i++)
        {
            position[people[i].Id] = i;
        }
        var rows = await connection.QueryAsync<(long A, long B, string Decision)>(among is null
            ? "select source_a, source_b, decision from match_decision"
            : "select source_a, source_b, decision from match_decision where source_a = any(@among) and source_b = any(@among)", new { among }, tx);
        var must = new List<(int, int)>();
        var cannot = new List<(int, int)>();
        var all = new List<(int, int, bool)>();
        foreach (var (a, b, decision) in rows)
        {
            if (position.TryGetValue(a, out var x) && position.TryGetValue(b, out var y))
            {
                (decision == "same" ? must : cannot).Add((x, y));
                all.Add((x, y, decision == "same"));
            }
        }
        return new StewardDecisions(must, cannot, all);
    }
}
