namespace PaduHub.Access;

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
