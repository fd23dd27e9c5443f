namespace Edge.FirmwareSim.Scenarios;

/// <summary>
/// A <see cref="TimeProvider"/> whose time starts at a chosen instant and runs <see cref="Speed"/> times faster than
/// real time, timers included, so the real samplers, drivers and register models run an hour of scenario in minutes.
/// (Tests use a FakeTimeProvider instead and step time explicitly.)
/// </summary>
public sealed class VirtualClock : TimeProvider
{
    private readonly DateTimeOffset _start;
    private readonly long _origin = System.GetTimestamp();

    public VirtualClock(DateTimeOffset start, double speed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(speed, 0.001);
        _start = start;
        Speed = speed;
    }

    public double Speed { get; }

    public override DateTimeOffset GetUtcNow() => _start + System.GetElapsedTime(_origin) * Speed;

    public override long GetTimestamp() => _origin + (long)((System.GetTimestamp() - _origin) * Speed);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(System.CreateTimer(callback, state, Scale(dueTime), Scale(period)), this);

    private TimeSpan Scale(TimeSpan t) => t == Timeout.InfiniteTimeSpan ? t : t / Speed;

    private sealed class ScaledTimer(ITimer inner, VirtualClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.Scale(dueTime), clock.Scale(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
