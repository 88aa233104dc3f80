using System.Diagnostics;
using System.Globalization;
using Npgsql;
using PaduHub.Database;

namespace PaduHub.Benchmarks.Trigram;

/// <summary>
/// Runs pipeline.sql, the hand-written pg_trgm linkage, on a single CSV in a PostgreSQL cluster of its own, and gives
/// its clusters (connected components of the pairs it links) and its wall time: loading the file, the SQL, reading the
/// pairs back. The cluster starts before the clock.
/// </summary>
static class TrigramPipeline
{
    public static (Dictionary<string, string> Clusters, double Seconds, long Pairs) Run(string csv, string work, double threshold)
    {
        using var cluster = EmbeddedPostgres.Start(Path.Combine(work, "pg-trigram"), durable: false);
        cluster.EnsureDatabase("trigram");
        using var connection = new NpgsqlConnection(cluster.ConnectionString("trigram"));
        connection.Open();
        var clock = Stopwatch.StartNew();
        Execute(connection, """
            create table records (record_id text, agency text, ic text, old_ic text, name text, dob text, sex text, address text,
                postcode text, town text, state text, phone text)
            """);
        using (var writer = connection.BeginTextImport("copy records from stdin (format csv, header true)"))
        using (var reader = new StreamReader(csv))
        {
            writer.Write(reader.ReadToEnd());
        }
        var sql = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Trigram", "pipeline.sql"))
            .Replace("@threshold", threshold.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Execute(connection, sql);
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        string Find(string x)
        {
            while (parent.TryGetValue(x, out var p) && p != x)
            {
                parent[x] = parent.GetValueOrDefault(p, p);
                x = p;
            }
            return x;
        }
        long pairs = 0;
        using (var command = new NpgsqlCommand("select a, b from linked_pair", connection))
        using (var rows = command.ExecuteReader())
        {
            while (rows.Read())
            {
                var (a, b) = (Find(rows.GetString(0)), Find(rows.GetString(1)));
                if (a != b)
                {
                    parent[a] = b;
                }
                pairs++;
            }
        }
        var clusters = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var command = new NpgsqlCommand("select record_id from records", connection))
        using (var rows = command.ExecuteReader())
        {
            while (rows.Read())
            {
                var id = rows.GetString(0);
                clusters[id] = Find(id);
            }
        }
        return (clusters, clock.Elapsed.TotalSeconds, pairs);
    }

    static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        command.ExecuteNonQuery();
    }
}
