using Edge.Sensors.Devices.Mlx90614;

namespace Edge.FirmwareSim.Devices.Mlx90614;

/// <summary>An "mlx90614" aimed at the forehead of its site's patient, in the scenario's room.</summary>
public static class Mlx90614Model
{
    public static DeviceModel Descriptor { get; } = new()
    {
        SensorType = Mlx90614Type.Name,
        I2c = c => new Mlx90614Simulator(c.Time, c.Sensor.Bus, c.Sensor.Address) { TemperatureModel = Forehead(c), TargetEmissivity = ForeheadHeatBalance.SkinEmissivity },
    };

    // A forehead in the room: skin between core and room by the forehead's physical heat balance (not the sensor's
    // linear calibration, which the tests measure against it), seen at skin emissivity.
    private static Func<DateTimeOffset, (double, double)> Forehead(DeviceContext c)
    {
        var patient = c.World.Patient(c.Sensor.Site);
        var weather = c.World.Weather;
        return t =>
        {
            var at = c.Input(t);
            double room = weather.IndoorCelsius(at);
            return (ForeheadHeatBalance.SkinCelsius(patient.BodyTemperature(at), room) + c.Noise(t, 0.5), room);
        };
    }
}
