using System.Diagnostics;

namespace PaduHub.Stewardship;

/// <summary>
/// Password checks are slow on purpose (PBKDF2), so a flood of sign-ins with invented names would spend both cores on
/// them and starve the read API. Whoever asks, at most one check runs at a time and at most <c>perSecond</c> start in a
/// second; an attempt beyond that is told to wait, without a check. Stewards sign in a few times a day.
/// </summary>
public sealed class SignInThrottle(double perSecond = 4)
{
    readonly double _perSecond = perSecond;
    readonly SemaphoreSlim _one = new(1, 1);
    readonly Lock _gate = new();
    double _tokens = perSecond;
    long _stamp = Stopwatch.GetTimestamp();

    /// <summary>The check's answer, or admitted false when the attempt was refused before checking anything.</summary>
    public async Task<(bool Admitted, T? Answer)> RunAsync<T>(Func<Task<T>> check, CancellationToken cancellationToken = default)
    {
        if (!TakeToken() || !await _one.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken))
        {
            return (false, default);
        }
        try
        {
            return (true, await check());
        }
        finally
        {
            _one.Release();
        }
    }

    bool TakeToken()
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            _tokens = Math.Min(_perSecond, _tokens + (double)(now - _stamp) * _perSecond / Stopwatch.Frequency);
            _stamp = now;
            if (_tokens < 1)
            {
                return false;
            }
            _tokens -= 1;
            return true;
        }
    }
}
