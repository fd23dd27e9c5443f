using Edge.Sensors.Devices.Hmc5883l;

namespace Edge.FirmwareSim.Devices.Hmc5883l;

/// <summary>An "hmc5883l" beside its site's lane: the register model sees the field of the passing vehicles.</summary>
public static class Hmc5883lModel
{
    public static DeviceModel Descriptor { get; } = new()
    {
        SensorType = Hmc5883lType.Name,
        I2c = c => new Hmc5883lSimulator(c.Time, c.Sensor.Bus, c.Sensor.Address) { FieldModel = SiteSignals.LaneField(c) },
    };
}
