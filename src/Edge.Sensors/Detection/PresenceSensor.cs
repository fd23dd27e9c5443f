using Edge.Readings;

namespace Edge.Sensors.Detection;

/// <summary>
/// A ranging sensor over a lane as a sampled sensor (kind traffic.occupancy): every tick feeds the latest distance
/// to a <see cref="PresenceDetector"/>, and once per <c>reportInterval</c> a reading gives the vehicles that arrived,
/// the share of time one was present, whether one is present now, the last distance and the learned baseline. Sample
/// several times per vehicle (20 Hz for a ToF, 10 Hz for an ultrasonic); report every minute, as traffic counts are.
/// </summary>
public sealed class PresenceSensor(string id, IDistanceSource source, PresenceDetectorOptions options, TimeSpan reportInterval, TimeProvider time) : ISensor
{
    private readonly PresenceDetector _detector = new(options);
    private DateTimeOffset? _intervalStart;
    private double? _lastDistance;

    public string Id { get; } = id;

    public string Kind => ReadingKinds.TrafficOccupancy;

    /// <summary>The detector, for diagnostics and tests.</summary>
    public PresenceDetector Detector => _detector;

    public bool TryRead(out IReadOnlyList<ReadingValue> values)
    {
        values = [];
        var now = time.GetUtcNow();
        _intervalStart ??= now;
        if (source.TryReadDistance(out double? meters))
        {
            _lastDistance = meters;
            _detector.Add(now, meters);
        }
        if (now - _intervalStart < reportInterval) return false;
        _intervalStart = now;
        var interval = _detector.Collect(now);
        var list = new List<ReadingValue>
        {
            new("count", interval.Vehicles, "{vehicle}"),
            new("occupancy", Math.Round(interval.OccupancyPercent, 2), "%"),
            new("interval", Math.Round((interval.End - interval.Start).TotalSeconds, 3), "s"),
            new("present", _detector.Present ? 1 : 0, "1"),
            new("total", _detector.Count, "{vehicle}"),
        };
        if (_lastDistance is { } d) list.Add(new("distance", Math.Round(d, 3), "m"));
        if (!double.IsNaN(_detector.BaselineMeters)) list.Add(new("baseline", Math.Round(_detector.BaselineMeters, 3), "m"));
        values = list;
        return true;
    }

    public void Dispose() => source.Dispose();
}
