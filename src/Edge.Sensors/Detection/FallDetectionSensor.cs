using Edge.Readings;

namespace Edge.Sensors.Detection;

/// <summary>
/// A body-worn accelerometer as a sampled sensor (kind health.fall): every tick feeds one sample to a
/// <see cref="FallDetector"/>, and a reading is produced only when a fall is confirmed (free fall, impact, then
/// inactivity), with its impact time, peak and free-fall duration and the running total. Sample at 50 Hz or more:
/// a free fall from standing lasts only 0.3-0.5 s and the impact tens of milliseconds.
/// </summary>
public sealed class FallDetectionSensor(string id, IAccelerationSource source, FallDetectorOptions options, TimeProvider time) : ISensor
{
    private readonly FallDetector _detector = new(options);
    private int _falls;

    public string Id { get; } = id;

    public string Kind => ReadingKinds.Fall;

    public bool TryRead(out IReadOnlyList<ReadingValue> values)
    {
        values = [];
        if (!source.TryReadAcceleration(out double x, out double y, out double z)) return false;
        if (_detector.Add(time.GetUtcNow(), x, y, z) is not { } fall) return false;
        _falls++;
        values =
        [
            new("count", 1, "{fall}"),
            new("impact_unix_ms", fall.Impact.ToUnixTimeMilliseconds(), "ms"),
            new("peak", Math.Round(fall.PeakG, 2), "g"),
            new("free_fall", Math.Round(fall.FreeFall.TotalSeconds, 3), "s"),
            new("total", _falls, "{fall}"),
        ];
        return true;
    }

    public void Dispose() => source.Dispose();
}
