using Edge.Readings;
using Edge.Sensors.Configuration;
using Iot.Device.Bmxx80;

namespace Edge.Sensors.Devices.Bme280;

/// <summary>The "bme280" sensor type: a BME280 for the room's temperature, pressure and humidity.</summary>
public static class Bme280Type
{
    public const string Name = "bme280";

    public static SensorType Descriptor { get; } = new()
    {
        Name = Name,
        Description = "BME280 temperature, pressure and humidity (normal mode, 1 s standby, ×1 oversampling)",
        Kind = ReadingKinds.Environment,
        Bus = SensorBus.I2c,
        Addresses = [Bmx280Base.DefaultI2cAddress, Bmx280Base.SecondaryI2cAddress],
        DefaultInterval = TimeSpan.FromSeconds(10),
        DefaultTopic = "environment",
        Create = (spec, hw, time) => new Bme280Sensor(spec.Id, new Iot.Device.Bmxx80.Bme280(hw.OpenI2c(spec)), time),
    };
}
