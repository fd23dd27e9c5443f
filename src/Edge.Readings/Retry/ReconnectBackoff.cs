namespace Edge.Readings.Retry;

/// <summary>
/// How long to wait before reconnecting after <c>failures</c> attempts in a row failed: exponential from
/// <c>first</c>, doubling up to <c>max</c>, with "equal jitter" (half the step fixed, half uniformly random: AWS
/// Architecture Blog, "Exponential Backoff And Jitter", 2015) so a fleet of gateways that lost the same broker does not
/// reconnect in lockstep, yet each wait is at least half its step, so while the step doubles no wait is shorter than the
/// one before. Shared by the uplink and the local API's client-mode bridge. Thread-safe.
/// </summary>
public sealed class ReconnectBackoff
{
    private readonly TimeSpan _first;
    private readonly TimeSpan _max;
    private readonly TimeProvider _time;
    private readonly Random _random;

    /// <param name="first">The step after the first failure; must be positive.</param>
    /// <param name="max">The largest step; at least <paramref name="first"/>.</param>
    /// <param name="time">The clock <see cref="WaitAsync"/> waits on.</param>
    /// <param name="random">The jitter source (a seeded one in tests); <see cref="Random.Shared"/> by default.</param>
    public ReconnectBackoff(TimeSpan first, TimeSpan max, TimeProvider time, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(first, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, first);
        _first = first;
        _max = max;
        _time = time;
        _random = random ?? Random.Shared;
    }

    /// <summary>The step after <paramref name="failures"/> (from 1) failures in a row: first × 2^(failures−1), at most max.</summary>
    public TimeSpan Step(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        double seconds = _first.TotalSeconds * Math.Pow(2, Math.Min(failures - 1, 62));
        return seconds >= _max.TotalSeconds ? _max : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The jittered wait after <paramref name="failures"/> failures in a row: uniform in [Step/2, Step].</summary>
    public TimeSpan Next(int failures)
    {
        var step = Step(failures);
        double fraction;
        lock (_random) fraction = _random.NextDouble(); // Random.Shared is thread-safe; a caller's seeded Random is not
        return step / 2 + step / 2 * fraction;
    }

    /// <summary>Waits <paramref name="delay"/> on the clock given at construction; cancelled by <paramref name="ct"/>.</summary>
    public Task WaitAsync(TimeSpan delay, CancellationToken ct) => Task.Delay(delay, _time, ct);
}
