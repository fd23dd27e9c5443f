using Edge.Readings;

namespace Edge.Sensors.Devices.Qmc5883l;

/// <summary>A QMC5883L as a sampled sensor: field x, y, z and |B| in gauss (kind traffic.magnetic_field).</summary>
public sealed class Qmc5883lSensor(string id, Qmc5883l driver) : ISensor
{
    public string Id { get; } = id;

    public string Kind => ReadingKinds.TrafficMagneticField;

    public bool TryRead(out IReadOnlyList<ReadingValue> values)
    {
        values = [];
        if (!driver.TryReadMagneticField(out var f)) return false;
        values = [new("x", f.X.Gausses, "G"), new("y", f.Y.Gausses, "G"), new("z", f.Z.Gausses, "G"), new("magnitude", f.Magnitude.Gausses, "G")];
        return true;
    }

    public void Dispose() => driver.Dispose();
}
