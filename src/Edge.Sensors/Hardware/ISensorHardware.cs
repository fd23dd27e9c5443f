using System.Device.Gpio;
using System.Device.I2c;
using Edge.Sensors.Configuration;

namespace Edge.Sensors.Hardware;

/// <summary>
/// Where drivers find their devices: the Raspberry Pi's I2C buses and GPIO chip (<see cref="BoardHardware"/>) or
/// firmware-sim's register models. Drivers only ever see an <see cref="I2cDevice"/> or a <see cref="GpioController"/>,
/// so the code that runs on a laptop is the code that runs on a Pi.
/// </summary>
public interface ISensorHardware : IDisposable
{
    /// <summary>Shown at start, e.g. "Raspberry Pi buses (/dev/i2c-1, /dev/gpiochip0)".</summary>
    string Description { get; }

    bool IsSimulated { get; }

    /// <summary>Opens the sensor's I2C device at its bus and address. The driver may dispose it.</summary>
    I2cDevice OpenI2c(SensorSpec sensor);

    /// <summary>The GPIO controller the sensor's pins live on; shared, owned by the hardware (drivers must not dispose it).</summary>
    GpioController OpenGpio(SensorSpec sensor);
}
