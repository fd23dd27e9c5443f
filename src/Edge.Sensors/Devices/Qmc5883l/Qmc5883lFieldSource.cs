using Edge.Sensors.Detection;

namespace Edge.Sensors.Devices.Qmc5883l;

/// <summary>A QMC5883L feeding the vehicle detector.</summary>
public sealed class Qmc5883lFieldSource(Qmc5883l driver) : IMagneticFieldSource
{
    public bool TryReadField(out double xGauss, out double yGauss, out double zGauss)
    {
        (xGauss, yGauss, zGauss) = (0, 0, 0);
        if (!driver.TryReadMagneticField(out var f)) return false;
        (xGauss, yGauss, zGauss) = (f.X.Gausses, f.Y.Gausses, f.Z.Gausses);
        return true;
    }

    public void Dispose() => driver.Dispose();
}
