using Npgsql;
using PaduHub.Database;

namespace PaduHub.Tests;

/// <summary>
/// One real PostgreSQL for the whole test run: the hub's own embedded cluster in a throwaway folder, or the
/// server named by PADU_TEST_DATABASE_URL. Each test class asks for a fresh database of its own, built by the
/// production migration runner, so classes can run in parallel without seeing each other's rows.
/// </summary>
[SetUpFixture]
public sealed class TestDatabase
{
    static EmbeddedPostgres? s_cluster;
    static string? s_adminConnectionString;
    static string? s_folder;

    public static string AdminConnectionString =>
        s_adminConnectionString ?? throw new InvalidOperationException("the test database is not started");

    [OneTimeSetUp]
    public void StartServer()
    {
        var configured = Environment.GetEnvironmentVariable("PADU_TEST_DATABASE_URL");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            s_adminConnectionString = new NpgsqlConnectionStringBuilder(PaduDatabase.ToNpgsqlConnectionString(configured))
            { Database = "postgres" }.ConnectionString;
            return;
        }
        s_folder = Path.Combine(Path.GetTempPath(), $"paduhub-tests-{Environment.ProcessId}");
        s_cluster = EmbeddedPostgres.Start(s_folder, durable: false);
        s_adminConnectionString = s_cluster.ConnectionString("postgres");
        TestContext.Progress.WriteLine($"test PostgreSQL: embedded cluster on port {s_cluster.Port} in {s_folder}");
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        s_cluster?.Dispose();
        if (s_folder is not null && Directory.Exists(s_folder))
        {
            Directory.Delete(s_folder, recursive: true);
        }
    }

    /// <summary>A new, empty database; migrated to the shipped schema unless <paramref name="migrate"/> is false.</summary>
    public static async Task<string> CreateAsync(string purpose, bool migrate = true)
    {
        // PostgreSQL names stop at 63 bytes: a short purpose plus a unique suffix.
        var readable = new string(purpose.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '_').Take(30).ToArray());
        var name = $"t_{readable}_{Guid.NewGuid():N}"[..Math.Min(63, readable.Length + 2 + 1 + 16)];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
        if (migrate)
        {
            await SchemaMigrator.MigrateAsync(connectionString);
        }
        return connectionString;
    }

    public static async Task DropAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
