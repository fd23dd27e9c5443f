using Edge.Sensors.Devices.Vl53l0x;

namespace Edge.FirmwareSim.Devices.Vl53l0x;

/// <summary>A "vl53l0x" looking down on its site's lane from the configured mount height.</summary>
public static class Vl53l0xModel
{
    public static DeviceModel Descriptor { get; } = new()
    {
        SensorType = Vl53l0xType.Name,
        I2c = c => new Vl53l0xSimulator(c.Time, c.Sensor.Bus, c.Sensor.Address) { DistanceModel = SiteSignals.RangeMillimeters(c) },
    };
}
