using System.Device.Gpio;
using System.Device.I2c;
using Edge.Sensors.Configuration;

namespace Edge.Sensors.Hardware;

/// <summary>
/// The real buses: i2c-dev devices via <see cref="I2cDevice.Create"/> and one <see cref="GpioController"/> on the
/// board's default driver (libgpiod on current Raspberry Pi OS). Opening fails with the OS error, which the sampler
/// reports as a degraded sensor and retries; a missing permission is reported by the gateway's start-up checks.
/// </summary>
public sealed class BoardHardware(HardwareProbe probe) : ISensorHardware
{
    private readonly Lazy<GpioController> _gpio = new(() => new GpioController());

    public string Description => $"real buses ({string.Join(", ", probe.I2cBuses.Concat(probe.GpioChips))})";

    public bool IsSimulated => false;

    public I2cDevice OpenI2c(SensorSpec sensor) => I2cDevice.Create(new I2cConnectionSettings(sensor.Bus, sensor.Address));

    public GpioController OpenGpio(SensorSpec sensor) => _gpio.Value;

    public void Dispose()
    {
        if (_gpio.IsValueCreated) _gpio.Value.Dispose();
    }
}
