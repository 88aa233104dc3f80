using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;

namespace PaduHub.Access;

/// <summary>A system allowed to call the API, and what it may do.</summary>
public sealed record ApiClient(long Id, string Name, string[] Scopes)
{
    public bool Has(string scope) => Scopes.Contains(scope, StringComparer.Ordinal);

    /// <summary>The scope an agency needs to send its extracts: ingest:JPN, ingest:LHDN, ...</summary>
    /// <summary>The scope that lets a steward key take back another steward's decision, as a supervisor may on the pages.</summary>
    public const string SupervisorScope = "supervisor";

    public static string IngestScope(string agencyCode) => $"ingest:{agencyCode.ToUpperInvariant()}";
}

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

/// <summary>
/// Keys already seen, for a short while: the read API answers thousands of requests a second, and a database probe
/// per request for the same few keys would be most of its work. A revoked key stops working within the lifetime.
/// </summary>
public sealed class ApiKeyCache(string connectionString, TimeSpan lifetime)
{
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, (ApiClient? Client, DateTime Until)> _seen = new(StringComparer.Ordinal);

    public async Task<ApiClient?> AuthenticateAsync(string? key, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 200)
        {
            return null;
        }
        var now = DateTime.UtcNow;
        if (_seen.TryGetValue(key, out var seen) && seen.Until > now)
        {
            return seen.Client;
        }
        var client = await ApiClients.AuthenticateAsync(connectionString, key, cancellationToken);
        // Unknown keys are remembered too (briefly), so guessing keys costs the database nothing; the cache is
        // bounded so guessing cannot fill memory either.
        if (_seen.Count > 10_000)
        {
            _seen.Clear();
        }
        _seen[key] = (client, now + lifetime);
        return client;
    }
}
