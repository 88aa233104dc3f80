using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;

namespace PaduHub.Access;

/// <summary>
/// API keys: shown once when made, stored only as a SHA-256 hash. A key is long and random, so a plain hash
/// (no salt, no stretching) is enough: there is nothing to guess, and lookups stay one index probe per request.
/// </summary>
public static class ApiClients
{
    public static async Task<(ApiClient Client, string Key)> CreateAsync(string connectionString, string name, IEnumerable<string> scopes,
        CancellationToken cancellationToken = default)
    {
        var key = "padu_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var scopeArray = scopes.ToArray();
        await using var connection = new NpgsqlConnection(connectionString);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "insert into api_client (name, key_hash, scopes) values (@name, @hash, @scopeArray) returning id",
            new { name, hash = Hash(key), scopeArray }, cancellationToken: cancellationToken));
        return (new ApiClient(id, name, scopeArray), key);
    }

    /// <summary>The client a key belongs to, or null for an unknown or revoked key.</summary>
    public static async Task<ApiClient?> AuthenticateAsync(string connectionString, string? key, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 200)
        {
            return null;
        }
        await using var connection = new NpgsqlConnection(connectionString);
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, string Name, string[] Scopes)?>(new CommandDefinition(
            "select id, name, scopes from api_client where key_hash = @hash and revoked_at is null", new { hash = Hash(key.Trim()) },
            cancellationToken: cancellationToken));
        return row is { } r ? new ApiClient(r.Id, r.Name, r.Scopes) : null;
    }

    static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
