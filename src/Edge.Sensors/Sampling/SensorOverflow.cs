namespace Edge.Sensors.Sampling;

/// <summary>What a sensor does when its bounded queue towards the log is full (slow disk, a blocking topic, a stalled writer).</summary>
public enum SensorOverflow
{
    /// <summary>Drop the oldest pending reading of this sensor to make room for the new one (counted).</summary>
    DropOldest,

    /// <summary>Sample at half the rate while the queue is full, halving again while it stays full (skipped samples counted).</summary>
    Decimate,

    /// <summary>
    /// Wait for room: while the queue is full the sensor is not read (each such tick counted as missed), and it samples
    /// again at the first tick after the log made room; nothing is dropped. The sensor's ticks share a thread with the
    /// board's other sensors (<see cref="SamplingThread"/>), so it skips rather than waits: a wait would hold them all.
    /// </summary>
    Block,
}
