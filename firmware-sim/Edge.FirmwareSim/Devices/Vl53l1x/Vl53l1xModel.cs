using Edge.Sensors.Devices.Vl53l1x;

namespace Edge.FirmwareSim.Devices.Vl53l1x;

/// <summary>A "vl53l1x" looking down on its site's lane from the configured mount height.</summary>
public static class Vl53l1xModel
{
    public static DeviceModel Descriptor { get; } = new()
    {
        SensorType = Vl53l1xType.Name,
        I2c = c => new Vl53l1xSimulator(c.Time, c.Sensor.Bus, c.Sensor.Address) { DistanceModel = SiteSignals.RangeMillimeters(c) },
    };
}
