namespace Edge.Sensors.Detection;

/// <summary>
/// Vehicle speed from two detectors a known distance apart in the same lane: v = distance / (arrival at B − arrival at
/// A). Pairs each B arrival with the oldest unmatched A arrival that precedes it within <see cref="MaxTravel"/>.
/// </summary>
public sealed class SpeedEstimator(double distanceMeters, TimeSpan maxTravel)
{
    private readonly Queue<DateTimeOffset> _upstream = new();

    public TimeSpan MaxTravel { get; } = maxTravel;

    public void AddUpstream(VehicleEvent e) => _upstream.Enqueue(e.Arrival);

    /// <summary>Speed in km/h for a downstream detection, or null when no upstream arrival matches.</summary>
    public double? AddDownstream(VehicleEvent e)
    {
        while (_upstream.TryPeek(out var a) && e.Arrival - a > MaxTravel) _upstream.Dequeue(); // missed at B
        if (!_upstream.TryPeek(out var arrival) || arrival >= e.Arrival) return null;
        _upstream.Dequeue();
        return distanceMeters / (e.Arrival - arrival).TotalSeconds * 3.6;
    }
}
