namespace Edge.Sensors.Detection;

/// <summary>An accelerometer as the fall detector sees it: the latest acceleration in g (gravity included).</summary>
public interface IAccelerationSource : IDisposable
{
    /// <summary>False while no usable sample is ready; throws <see cref="IOException"/> when the device does not answer.</summary>
    bool TryReadAcceleration(out double xG, out double yG, out double zG);
}
