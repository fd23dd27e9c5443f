namespace Edge.TestKit;

/// <summary>
/// A clock that only moves when advanced and has no timers: for code paths that read the time but never wait on it,
/// and for long single-threaded simulations (a day at 50 Hz) where FakeTimeProvider's per-step timer bookkeeping would
/// dominate. Not thread-safe: one simulation per clock.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
