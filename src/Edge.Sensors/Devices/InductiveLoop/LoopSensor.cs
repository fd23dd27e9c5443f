using Edge.Readings;

namespace Edge.Sensors.Devices.InductiveLoop;

/// <summary>
/// An inductive loop as a sampled sensor (kind traffic.occupancy): each tick closes the detector's interval and
/// reports vehicles counted and the share of time the loop was occupied, so the sampling interval is the counting
/// interval (60 s is usual for traffic counts).
/// </summary>
public sealed class LoopSensor(string id, LoopDetector detector) : ISensor
{
    public string Id { get; } = id;

    public string Kind => ReadingKinds.TrafficOccupancy;

    public bool TryRead(out IReadOnlyList<ReadingValue> values)
    {
        var interval = detector.Collect();
        values =
        [
            new("count", interval.Vehicles, "{vehicle}"),
            new("occupancy", Math.Round(interval.OccupancyPercent, 2), "%"),
            new("interval", Math.Round((interval.End - interval.Start).TotalSeconds, 3), "s"),
        ];
        return true;
    }

    public void Dispose() => detector.Dispose();
}
