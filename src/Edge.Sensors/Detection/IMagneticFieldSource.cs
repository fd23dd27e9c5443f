namespace Edge.Sensors.Detection;

/// <summary>A magnetometer as the vehicle detector sees it: the latest field in gauss, or nothing new.</summary>
public interface IMagneticFieldSource : IDisposable
{
    /// <summary>False while no new sample is ready (or it is unusable); throws <see cref="IOException"/> when the device does not answer.</summary>
    bool TryReadField(out double xGauss, out double yGauss, out double zGauss);
}
