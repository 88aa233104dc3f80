using System.Collections.Concurrent;

namespace PaduHub.Access;

/// <summary>
/// Keys already seen, for a short while: the read API answers thousands of requests a second, and a database probe
/// per request for the same few keys would be most of its work. A revoked key stops working within the lifetime.
/// </summary>
public sealed class ApiKeyCache(string connectionString, TimeSpan lifetime)
{
    /// <summary>Unknown keys remembered at most, so guessing cannot fill memory; forgetting them costs a lookup, nothing more.</summary>
    const int MaxUnknownKeys = 10_000;

    // Good keys and guesses kept apart: a flood of guesses clears its own table, never the clients'.
    readonly ConcurrentDictionary<string, (ApiClient Client, DateTime Until)> _clients = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, DateTime> _unknown = new(StringComparer.Ordinal);

    public async Task<ApiClient?> AuthenticateAsync(string? key, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 200)
        {
            return null;
        }
        var now = DateTime.UtcNow;
        if (_clients.TryGetValue(key, out var seen) && seen.Until > now)
        {
            return seen.Client;
        }
        if (_unknown.TryGetValue(key, out var until) && until > now)
        {
            return null;
        }
        var client = await ApiClients.AuthenticateAsync(connectionString, key, cancellationToken);
        if (client is null)
        {
            if (_unknown.Count >= MaxUnknownKeys)
            {
                _unknown.Clear();
            }
            _unknown[key] = now + lifetime;
            _clients.TryRemove(key, out _);
            return null;
        }
        _clients[key] = (client, now + lifetime);
        return client;
    }
}
