namespace Edge.Sensors.Configuration;

/// <summary>How a device type is wired.</summary>
public enum SensorBus
{
    I2c,
    Gpio,
}
