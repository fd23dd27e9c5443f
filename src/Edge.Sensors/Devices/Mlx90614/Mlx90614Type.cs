using Edge.Readings;
using Edge.Sensors.Configuration;

namespace Edge.Sensors.Devices.Mlx90614;

/// <summary>The "mlx90614" sensor type: an MLX90614 infrared thermometer aimed at the forehead.</summary>
public static class Mlx90614Type
{
    public const string Name = "mlx90614";

    public static SensorType Descriptor { get; } = new()
    {
        Name = Name,
        Description = "MLX90614 infrared thermometer at the forehead (body temperature from skin and room)",
        Kind = ReadingKinds.BodyTemperature,
        Bus = SensorBus.I2c,
        Addresses = [Iot.Device.Mlx90614.Mlx90614.DefaultI2cAddress],
        DefaultInterval = TimeSpan.FromSeconds(10),
        DefaultTopic = "health",
        Calibration = new Dictionary<string, double> { ["Emissivity"] = 0.98, ["HeatBalanceK"] = Mlx90614Sensor.DefaultHeatBalanceK },
        Create = (spec, hw, _) => new Mlx90614Sensor(spec.Id, new Iot.Device.Mlx90614.Mlx90614(hw.OpenI2c(spec)), spec.Setting("Emissivity"), spec.Setting("HeatBalanceK")),
    };
}
