using System.Collections.Concurrent;
using Dapper;
using Npgsql;

namespace PaduHub.GoldenRecords;

/// <summary>
/// The date each agency said its extract describes (extract.as_of), for a profile's lineage. An extract's date is
/// fixed when it is received, so it is read once per process; a profile read after warm-up asks the database nothing.
/// </summary>
public static class ExtractDates
{
    // By database as well as id: one process may serve several databases (the tests do), each numbering its extracts from 1.
    static readonly ConcurrentDictionary<(string Database, long Id), DateOnly?> s_known = new();

    public static async Task<Func<long, DateOnly?>> ForAsync(NpgsqlConnection connection, IEnumerable<long> extractIds, CancellationToken cancellationToken = default)
    {
        var database = $"{connection.Host}:{connection.Port}/{connection.Database}";
        var unknown = extractIds.Where(id => !s_known.ContainsKey((database, id))).Distinct().ToArray();
        if (unknown.Length > 0)
        {
            var found = (await connection.QueryAsync<(long Id, DateOnly? AsOf)>(new CommandDefinition(
                "select id, as_of from extract where id = any(@unknown)", new { unknown }, cancellationToken: cancellationToken))).ToList();
            foreach (var (id, asOf) in found)
            {
                s_known[(database, id)] = asOf;
            }
        }
        return id => s_known.GetValueOrDefault((database, id));
    }
}
