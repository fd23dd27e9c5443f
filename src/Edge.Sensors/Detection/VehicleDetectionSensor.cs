using Edge.Readings;

namespace Edge.Sensors.Detection;

/// <summary>
/// A magnetometer lane detector as a sampled sensor (kind traffic.vehicle): every tick feeds one field sample to a
/// <see cref="MagneticVehicleDetector"/>, and a reading is produced only when a vehicle has left the zone, with its
/// dwell time, peak deviation and the running total. Sample at the detector's design rate (50 Hz by default).
/// </summary>
public sealed class VehicleDetectionSensor(string id, IMagneticFieldSource source, VehicleDetectorOptions options, TimeProvider time) : ISensor
{
    private readonly MagneticVehicleDetector _detector = new(options);

    public string Id { get; } = id;

    public string Kind => ReadingKinds.TrafficVehicle;

    public bool TryRead(out IReadOnlyList<ReadingValue> values)
    {
        values = [];
        if (!source.TryReadField(out double x, out double y, out double z)) return false;
        if (_detector.Add(time.GetUtcNow(), x, y, z) is not { } vehicle) return false;
        values =
        [
            new("count", 1, "{vehicle}"),
            new("dwell", Math.Round(vehicle.Dwell.TotalSeconds, 3), "s"),
            new("peak", Math.Round(vehicle.PeakDeviationGauss, 4), "G"),
            new("total", _detector.Count, "{vehicle}"),
        ];
        return true;
    }

    public void Dispose() => source.Dispose();
}
