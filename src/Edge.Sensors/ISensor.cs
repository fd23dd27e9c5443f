using Edge.Readings;

namespace Edge.Sensors;

/// <summary>
/// A device the sampler reads on its schedule. <see cref="Read"/> returns the measured values or throws
/// <see cref="IOException"/> when the device does not answer (NACK, timeout, wrong chip id): the sampler then retries
/// with backoff and marks the sensor degraded; it never invents a value. Called from one sampler thread at a time.
/// </summary>
public interface ISensor : IDisposable
{
    string Id { get; }

    /// <summary>Reading kind, e.g. <see cref="ReadingKinds.HeartRate"/>.</summary>
    string Kind { get; }

    IReadOnlyList<ReadingValue> Read();
}
