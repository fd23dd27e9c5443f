using Edge.Sensors.Devices.Mpu6050;

namespace Edge.FirmwareSim.Devices.Mpu6050;

/// <summary>An "mpu6050" worn by its site's patient: the accelerometer follows the patient's motion (and falls).</summary>
public static class Mpu6050Model
{
    public static DeviceModel Descriptor { get; } = new()
    {
        SensorType = Mpu6050Type.Name,
        I2c = c => new Mpu6050Simulator(c.Time, c.Sensor.Bus, c.Sensor.Address)
        {
            AccelerationModel = Motion(c),
            TemperatureModel = t => c.World.Weather.IndoorCelsius(t) + 8,
        },
    };

    private static Func<DateTimeOffset, (double, double, double)> Motion(DeviceContext c)
    {
        var patient = c.World.Patient(c.Sensor.Site);
        return t =>
        {
            var (x, y, z) = patient.Acceleration(c.Input(t));
            return (x + c.Noise(t, 0.3, 0), y + c.Noise(t, 0.3, 1), z + c.Noise(t, 0.3, 2));
        };
    }
}
