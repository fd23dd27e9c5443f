namespace Edge.Sensors.Detection;

/// <summary>A ranging sensor (time-of-flight or ultrasonic) as the presence detector sees it: the latest distance, or nothing new.</summary>
public interface IDistanceSource : IDisposable
{
    /// <summary>
    /// False while no new measurement is ready. True with <paramref name="meters"/> null when the sensor saw no target
    /// within its range (nothing nearer than its maximum). Throws <see cref="IOException"/> when the device does not answer.
    /// </summary>
    bool TryReadDistance(out double? meters);
}
