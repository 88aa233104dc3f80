using System.Collections.Concurrent;
using System.Diagnostics;

namespace PaduHub.Server.Api;

/// <summary>
/// A token bucket per API key: a client may make its rate a second, in bursts up to a second's worth. Requests
/// without a key share one small bucket: enough to be told 401, not enough to guess keys. Hand-written because the
/// framework's partitioned limiter takes a process-wide lock on every request, which showed in profiles of the read
/// API; here each client's bucket has its own lock, held for a few arithmetic operations.
/// </summary>
sealed class ClientRateLimit(int perClientPerSecond)
{
    public const int WithoutKeyPerSecond = 20;

    sealed class Bucket(double tokens)
    {
        public double Tokens = tokens;
        public long Stamp = Stopwatch.GetTimestamp();
    }

    readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public bool TryTake(string? key)
    {
        var rate = key is null ? WithoutKeyPerSecond : perClientPerSecond;
        if (_buckets.Count > 10_000)
        {
            // Made-up keys must not fill memory; forgetting buckets only ever lets a client start afresh.
            _buckets.Clear();
        }
        var bucket = _buckets.GetOrAdd(key ?? "", _ => new Bucket(rate));
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

    /// <summary>Applies the limit to /api requests; pages and health are not limited.</summary>
    public async Task InvokeAsync(HttpContext http, Func<Task> next)
    {
        if (!http.Request.Path.StartsWithSegments("/api") || TryTake(ApiGate.ApiKey(http.Request)))
        {
            await next();
            return;
        }
        http.Response.Headers.RetryAfter = "1";
        await Results.Problem(title: "Too many requests", detail: $"This client may make {perClientPerSecond} requests a second; wait and retry.",
            statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(http);
    }
}
