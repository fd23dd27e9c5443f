namespace Edge.Sensors.Sampling;

/// <summary>A snapshot of a sampler's counters.</summary>
public sealed record SensorStatus(
    string SensorId,
    SensorState State,
    long Readings,
    long Dropped,
    long Decimated,
    long MissedTicks,
    long Failures,
    long NotReady,
    DateTimeOffset? LastReadingAt,
    string? LastError);
