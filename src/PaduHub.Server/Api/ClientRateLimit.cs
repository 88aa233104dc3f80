using System.Collections.Concurrent;
using System.Diagnostics;
using PaduHub.Access;

namespace PaduHub.Server.Api;

/// <summary>
/// A token bucket per API client: a client may make its rate a second, in bursts up to a second's worth. Only a key
/// the hub has seen to be a client's gets a bucket of its own; requests without a key, or with a key not yet known to be
/// good, share one small bucket, checked before the key is looked up, so guessing keys neither costs the database a
/// lookup a guess nor writes an audit row a guess beyond that bucket's rate, and never touches a real client's bucket.
/// Hand-written because the framework's partitioned limiter takes a process-wide lock on every request, which showed
/// in profiles of the read API; here each client's bucket has its own lock, held for a few arithmetic operations.
/// </summary>
sealed class ClientRateLimit(int perClientPerSecond, ApiKeyCache keys)
{
    public const int UnverifiedPerSecond = 20;

    sealed class Bucket(double tokens)
    {
        public double Tokens = tokens;
        public long Stamp = Stopwatch.GetTimestamp();
    }

    // One entry per key that proved to be a client's: as many as keys were ever issued and used, never a guess.
    readonly ConcurrentDictionary<string, Bucket> _clients = new(StringComparer.Ordinal);
    readonly Bucket _unverified = new(UnverifiedPerSecond);

    static bool TryTake(Bucket bucket, int rate)
    {
        lock (bucket)
        {
            var now = Stopwatch.GetTimestamp();
            bucket.Tokens = Math.Min(rate, bucket.Tokens + (double)(now - bucket.Stamp) * rate / Stopwatch.Frequency);
            bucket.Stamp = now;
            if (bucket.Tokens < 1)
            {
                return false;
            }
            bucket.Tokens -= 1;
            return true;
        }
    }

    /// <summary>Whether this request may go on: from its client's bucket, or from the shared one while its key is unproven.</summary>
    async Task<bool> AdmitAsync(string? key, CancellationToken cancellationToken)
    {
        if (key is not null && _clients.TryGetValue(key, out var bucket))
        {
            return TryTake(bucket, perClientPerSecond);
        }
        if (!TryTake(_unverified, UnverifiedPerSecond))
        {
            return false;
        }
        // A good key gets its own full bucket from its next request on; a revoked one keeps it but is refused 401 by the gate.
        if (key is not null && await keys.AuthenticateAsync(key, cancellationToken) is not null)
        {
            _clients.TryAdd(key, new Bucket(perClientPerSecond));
        }
        return true;
    }

    /// <summary>Applies the limit to /api requests; pages and health are not limited.</summary>
    public async Task InvokeAsync(HttpContext http, Func<Task> next)
    {
        var key = ApiGate.ApiKey(http.Request);
        if (!http.Request.Path.StartsWithSegments("/api") || await AdmitAsync(key, http.RequestAborted))
        {
            await next();
            return;
        }
        http.Response.Headers.RetryAfter = "1";
        var detail = key is not null && _clients.ContainsKey(key)
            ? $"This client may make {perClientPerSecond} requests a second; wait and retry."
            : $"Requests without a known key share {UnverifiedPerSecond} a second; wait and retry.";
        await Results.Problem(title: "Too many requests", detail: detail, statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(http);
    }
}
