using Edge.Readings;
using Edge.Sensors.Configuration;

namespace Edge.Sensors.Hardware;

/// <summary>
/// Builds a configured sensor's driver on first use and again after the device fails, so a sensor that is absent
/// at start, unplugged or power-cycled (losing its configuration registers) comes back by itself: opening the bus
/// or initialising the chip failing is reported to the sampler as an <see cref="IOException"/>, which backs off,
/// marks the sensor degraded and retries. The other sensors are unaffected.
/// </summary>
public sealed class ReconnectingSensor(SensorSpec spec, ISensorHardware hardware, TimeProvider time) : ISensor
{
    private ISensor? _inner;

    public string Id => spec.Id;

    public string Kind => spec.Type.Kind;

    public bool TryRead(out IReadOnlyList<ReadingValue> values)
    {
        try
        {
            _inner ??= spec.Type.Create(spec, hardware, time);
            return _inner.TryRead(out values);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException or TimeoutException)
        {
            // Re-initialise on the next attempt: the chip may have lost its configuration.
            _inner?.Dispose();
            _inner = null;
            throw e as IOException ?? new IOException($"{spec.Type.Name} at {Where()}: {e.Message}", e);
        }
    }

    private string Where() => spec.Type.Bus == SensorBus.I2c
        ? $"I2C bus {spec.Bus} address 0x{spec.Address:X2}"
        : "GPIO " + string.Join(", ", spec.Pins.Select(p => $"{p.Key}={p.Value}"));

    public void Dispose() => _inner?.Dispose();
}
