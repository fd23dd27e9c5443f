using Edge.Readings;

namespace Edge.Sensors;

/// <summary>
/// A device the sampler reads on its schedule (dotnet/iot's TryRead convention). <see cref="TryRead"/> returns false
/// when the device has no new value yet (a conversion not finished, too little PPG signal for a heart rate): no
/// reading is produced. It throws <see cref="IOException"/> when the device does not answer (NACK, timeout, wrong
/// chip id): the sampler then retries with backoff and marks the sensor degraded. A value is never invented.
/// Called from one sampler thread at a time.
/// </summary>
public interface ISensor : IDisposable
{
    string Id { get; }

    /// <summary>Reading kind, e.g. <see cref="ReadingKinds.HeartRate"/>.</summary>
    string Kind { get; }

    bool TryRead(out IReadOnlyList<ReadingValue> values);
}
