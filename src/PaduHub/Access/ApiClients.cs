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
        var key = NewKey();
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

    /// <summary>One API client as an operator lists it: never its key, which is not kept.</summary>
    public sealed record Listed(long Id, string Name, string[] Scopes, DateTime CreatedAt, DateTime? RevokedAt);

    public static async Task<List<Listed>> ListAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return [.. (await connection.QueryAsync<(long Id, string Name, string[] Scopes, DateTime CreatedAt, DateTime? RevokedAt)>(new CommandDefinition(
            "select id, name, scopes, created_at, revoked_at from api_client order by id", cancellationToken: cancellationToken)))
            .Select(c => new Listed(c.Id, c.Name, c.Scopes, c.CreatedAt, c.RevokedAt))];
    }

    /// <summary>
    /// Stops a key working: at once in the database, within <c>Padu:KeyCacheSeconds</c> in a running hub. The client
    /// stays listed, revoked, and the change is audited with who made it. False when no active client has the name.
    /// </summary>
    public static async Task<bool> RevokeAsync(string connectionString, string name, string operatorName, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "update api_client set revoked_at = now() where name = @name and revoked_at is null returning id", new { name }, cancellationToken: cancellationToken));
        if (id is { } revoked)
        {
            await AuditChangeAsync(connection, operatorName, "revoke API key", revoked, cancellationToken);
        }
        return id is not null;
    }

    /// <summary>
    /// A new key for an active client, the old one stopped in the same statement (a key that may have leaked is
    /// replaced, not kept beside the new one). Null when no active client has the name.
    /// </summary>
    public static async Task<string?> RotateAsync(string connectionString, string name, string operatorName, CancellationToken cancellationToken = default)
    {
        var key = NewKey();
        await using var connection = new NpgsqlConnection(connectionString);
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "update api_client set key_hash = @hash where name = @name and revoked_at is null returning id", new { name, hash = Hash(key) },
            cancellationToken: cancellationToken));
        if (id is not { } rotated)
        {
            return null;
        }
        await AuditChangeAsync(connection, operatorName, "rotate API key", rotated, cancellationToken);
        return key;
    }

    /// <summary>Key and account changes go into the access audit beside the reads they govern.</summary>
    internal static Task AuditChangeAsync(NpgsqlConnection connection, string operatorName, string action, object subject, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            insert into access_audit (client_name, purpose, action, subject, status) values (@who, 'key and account management', @action, @subject, 200)
            """, new { who = "operator:" + operatorName, action, subject = subject is long id ? $"client:{id}" : subject.ToString() },
            cancellationToken: cancellationToken));

    static string NewKey() => "padu_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
