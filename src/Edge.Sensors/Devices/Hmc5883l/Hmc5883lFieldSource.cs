using Edge.Sensors.Detection;
using Iot.Device.Hmc5883l;

namespace Edge.Sensors.Devices.Hmc5883l;

/// <summary>
/// The real dotnet/iot HMC5883L binding feeding the vehicle detector. The binding returns raw counts
/// (<see cref="Iot.Device.Hmc5883l.Hmc5883l.DirectionVector"/>), so this scales them by the gain's LSB/gauss
/// (datasheet Table 9: 1090 LSB/G at ±1.3 G). An axis at -4096 overflowed the ADC (datasheet "Data Output X
/// Registers"): that sample is unusable and is not reported, like the QMC5883L's OVL.
/// </summary>
public sealed class Hmc5883lFieldSource(Iot.Device.Hmc5883l.Hmc5883l binding) : IMagneticFieldSource
{
    /// <summary>Gain the binding is constructed with (<see cref="Gain.Gain1090"/>, the datasheet default).</summary>
    public const double CountsPerGauss = 1090;

    public bool TryReadField(out double xGauss, out double yGauss, out double zGauss)
    {
        var v = binding.DirectionVector;
        (xGauss, yGauss, zGauss) = (v.X / CountsPerGauss, v.Y / CountsPerGauss, v.Z / CountsPerGauss);
        return v.X > -4096 && v.Y > -4096 && v.Z > -4096;
    }

    public void Dispose() => binding.Dispose();
}
