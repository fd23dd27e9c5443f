namespace Edge.Sensors.Tests;

/// <summary>
/// A clock that only moves when stepped and has no timers: for long single-threaded simulations (a day at 50 Hz)
/// where FakeTimeProvider's per-step timer bookkeeping would dominate. Not thread-safe: one simulation per clock.
/// </summary>
internal sealed class SteppedClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan step) => _now += step;
}
