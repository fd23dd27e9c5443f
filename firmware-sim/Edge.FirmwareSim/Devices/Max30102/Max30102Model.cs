using Edge.Sensors.Devices.Max30102;

namespace Edge.FirmwareSim.Devices.Max30102;

/// <summary>A "max30102" on the fingertip of its site's patient: the PPG follows the patient's heart rate and SpO2.</summary>
public static class Max30102Model
{
    public static DeviceModel Descriptor { get; } = new()
    {
        SensorType = Max30102Type.Name,
        I2c = c =>
        {
            var patient = c.World.Patient(c.Sensor.Site);
            return new Max30102Simulator(c.Time, c.Sensor.Bus, c.Sensor.Address, c.World.Seed)
            {
                SubjectModel = t => (patient.HeartRate(c.Input(t)), patient.SpO2(c.Input(t))),
            };
        },
    };
}
