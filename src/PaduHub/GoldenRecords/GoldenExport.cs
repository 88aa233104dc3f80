using System.Text;
using Npgsql;

namespace PaduHub.GoldenRecords;

/// <summary>Golden membership as file,record_id,cluster_id (agency, source key, golden id): the clusters format evaluate reads.</summary>
public static class GoldenExport
{
    public static async Task<long> WriteClustersAsync(NpgsqlConnection connection, string path, CancellationToken cancellationToken = default)
    {
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        await writer.WriteLineAsync("file,record_id,cluster_id");
        await using var command = new NpgsqlCommand("""
            select r.agency_code, r.source_key, m.golden_id from golden_member m join source_record r on r.id = m.source_record_id
            order by r.agency_code, r.source_key
            """, connection) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long written = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = reader.GetString(1);
            // Keys of several columns are joined by '|' by the loader; quoted in case a key holds a comma.
            var quoted = key.AsSpan().IndexOfAny(",\"") >= 0 ? "\"" + key.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : key;
            await writer.WriteLineAsync($"{reader.GetString(0)},{reader.GetString(0)}:{quoted},{reader.GetInt64(2)}");
            written++;
        }
        return written;
    }
}
