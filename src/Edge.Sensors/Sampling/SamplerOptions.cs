namespace Edge.Sensors.Sampling;

/// <summary>How one sensor is sampled.</summary>
public sealed record SamplerOptions
{
    /// <summary>Sampling period; tick n is due n intervals after the sampling thread started, so the schedule does not drift.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Readings that may wait for the log; the bound on this sensor's memory.</summary>
    public int QueueCapacity { get; init; } = 1024;

    public SensorOverflow Overflow { get; init; } = SensorOverflow.DropOldest;

    /// <summary>Longest backoff after repeated device failures, in ticks (doubling from 1).</summary>
    public int MaxBackoffTicks { get; init; } = 64;

    /// <summary>Largest decimation factor under sustained back-pressure.</summary>
    public int MaxDecimation { get; init; } = 64;

    public void Validate(string sensorId)
    {
        if (Interval < TimeSpan.FromMilliseconds(1)) throw new ArgumentException($"Sensors:{sensorId}:Interval must be at least 1 ms");
        if (QueueCapacity is < 2 or > 1_000_000) throw new ArgumentException($"Sensors:{sensorId}:QueueCapacity must be between 2 and 1000000");
        if (MaxBackoffTicks < 1 || MaxDecimation < 1) throw new ArgumentException($"Sensors:{sensorId}: MaxBackoffTicks and MaxDecimation must be positive");
    }
}
