namespace Edge.Sensors.Sampling;

/// <summary>What a sensor does when its bounded queue towards the log is full (slow disk, a blocking topic, a stalled writer).</summary>
public enum SensorOverflow
{
    /// <summary>Drop the oldest pending reading of this sensor to make room for the new one (counted).</summary>
    DropOldest,

    /// <summary>Sample at half the rate while the queue is full, halving again while it stays full (skipped samples counted).</summary>
    Decimate,

    /// <summary>Wait for room: the sensor samples more slowly, nothing is dropped (missed ticks counted).</summary>
    Block,
}
