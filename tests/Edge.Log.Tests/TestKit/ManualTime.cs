namespace Edge.Log.Tests.TestKit;

/// <summary>A clock tests move by hand; timers are not needed by the code paths it drives.</summary>
public sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
