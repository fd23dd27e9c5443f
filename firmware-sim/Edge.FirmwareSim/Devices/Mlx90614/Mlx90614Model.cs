using Edge.Sensors.Devices.Mlx90614;

namespace Edge.FirmwareSim.Devices.Mlx90614;

/// <summary>An "mlx90614" aimed at the forehead of its site's patient, in the scenario's room.</summary>
public static class Mlx90614Model
{
    public static DeviceModel Descriptor { get; } = new()
    {
        SensorType = Mlx90614Type.Name,
        I2c = c => new Mlx90614Simulator(c.Time, c.Sensor.Bus, c.Sensor.Address) { TemperatureModel = Forehead(c), TargetEmissivity = 0.98 },
    };

    // A forehead in the room: skin sits between core and room, Ts = (Tc + k·Ta) / (1 + k) with k = 0.19 (the
    // arterial heat-balance model the mlx90614 sensor inverts), seen at skin emissivity.
    private static Func<DateTimeOffset, (double, double)> Forehead(DeviceContext c)
    {
        var patient = c.World.Patient(c.Sensor.Site);
        var weather = c.World.Weather;
        return t =>
        {
            var at = c.Input(t);
            double room = weather.IndoorCelsius(at);
            return ((patient.BodyTemperature(at) + 0.19 * room) / 1.19 + c.Noise(t, 0.5), room);
        };
    }
}
