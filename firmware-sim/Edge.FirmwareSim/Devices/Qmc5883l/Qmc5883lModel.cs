using Edge.Sensors.Devices.Qmc5883l;

namespace Edge.FirmwareSim.Devices.Qmc5883l;

/// <summary>A "qmc5883l" beside its site's lane: the register model sees the field of the passing vehicles.</summary>
public static class Qmc5883lModel
{
    public static DeviceModel Descriptor { get; } = new()
    {
        SensorType = Qmc5883lType.Name,
        I2c = c => new Qmc5883lSimulator(c.Time, c.Sensor.Bus, c.Sensor.Address) { FieldModel = SiteSignals.LaneField(c) },
    };
}
