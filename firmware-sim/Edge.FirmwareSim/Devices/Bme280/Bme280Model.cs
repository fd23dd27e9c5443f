using Edge.Sensors.Devices.Bme280;

namespace Edge.FirmwareSim.Devices.Bme280;

/// <summary>A "bme280" in the scenario's weather.</summary>
public static class Bme280Model
{
    public static DeviceModel Descriptor { get; } = new()
    {
        SensorType = Bme280Type.Name,
        I2c = c =>
        {
            var weather = c.World.Weather;
            return new Bme280Simulator(c.Time, c.Sensor.Bus, c.Sensor.Address)
            {
                EnvironmentModel = t =>
                {
                    var at = c.Input(t);
                    return (weather.TemperatureCelsius(at) + c.Noise(t, 0.5), weather.PressurePascals(at), weather.HumidityPercent(at));
                },
            };
        },
    };
}
