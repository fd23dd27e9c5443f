using Edge.Sensors.Configuration;
using Edge.Sensors.Sampling;

namespace Edge.Sensors.Tests;

public class HealthSensorConfigurationTests
{
    private static readonly string[] Topics = ["traffic", "health", "environment"];

    private static (IReadOnlyList<SensorSpec> Specs, List<string> Errors) Validate(params (string Id, SensorDefinition Definition)[] sensors)
    {
        var specs = SensorDefinitionValidator.Validate(sensors.ToDictionary(s => s.Id, s => s.Definition), Topics, out var errors);
        return (specs, errors);
    }

    [Fact]
    public void The_health_and_environment_types_get_their_defaults()
    {
        var (specs, errors) = Validate(
            ("temp", new SensorDefinition { Type = "MLX90614" }),
            ("fall", new SensorDefinition { Type = "mpu6050" }),
            ("pulse", new SensorDefinition { Type = "ads1115-pulse" }),
            ("env", new SensorDefinition { Type = "bme280" }));
        Assert.Empty(errors);
        SensorSpec S(string id) => specs.Single(s => s.Id == id);
        Assert.Equal((0x5A, "health", TimeSpan.FromSeconds(10)), (S("temp").Address, S("temp").Topic, S("temp").Sampling.Interval));
        Assert.Equal((0x68, "health", TimeSpan.FromMilliseconds(20)), (S("fall").Address, S("fall").Topic, S("fall").Sampling.Interval));
        Assert.Equal((0x48, "health", TimeSpan.FromMilliseconds(8)), (S("pulse").Address, S("pulse").Topic, S("pulse").Sampling.Interval));
        Assert.Equal((0x77, "environment", TimeSpan.FromSeconds(10)), (S("env").Address, S("env").Topic, S("env").Sampling.Interval));
        Assert.Equal(0.98, S("temp").Setting("Emissivity"));
        Assert.Equal(2.3, S("fall").Setting("ImpactG"));
        Assert.Equal(4.096, S("pulse").Setting("FullScaleVolts"));
        Assert.Equal(SensorOverflow.DropOldest, S("env").Sampling.Overflow);
        foreach (string type in new[] { "mlx90614", "mpu6050", "ads1115-pulse", "bme280" }) Assert.Contains(type, SensorCatalog.Types);
    }

    [Fact]
    public void Address_straps_and_calibration_names_are_checked_per_type()
    {
        var (specs, errors) = Validate(
            ("fall", new SensorDefinition { Type = "mpu6050", Address = "0x69", Calibration = { ["ImpactG"] = 3 } }),
            ("env", new SensorDefinition { Type = "bme280", Address = "0x76" }),
            ("pulse", new SensorDefinition { Type = "ads1115-pulse", Address = "0x50" }),
            ("temp", new SensorDefinition { Type = "mlx90614", Calibration = { ["Gain"] = 2 } }));
        Assert.Equal(
        [
            "Sensors:pulse:Address 0x50 is not an address a ads1115-pulse answers on (0x48, 0x49, 0x4A, 0x4B)",
            "Sensors:temp:Calibration:Gain is not a setting of a mlx90614; known: Emissivity, HeatBalanceK",
        ], errors);
        Assert.Equal((0x69, 3.0), (specs.Single(s => s.Id == "fall").Address, specs.Single(s => s.Id == "fall").Setting("ImpactG")));
        Assert.Equal(0x76, specs.Single(s => s.Id == "env").Address);
    }

    [Fact]
    public void An_ADS1115_channel_outside_0_to_3_names_the_key_when_the_sensor_is_built()
    {
        var spec = ScenarioTests.Spec("pulse", new SensorDefinition { Type = "ads1115-pulse", Calibration = { ["Channel"] = 5 } });
        var (board, time) = ScenarioTests.Board("exercise");
        var e = Assert.Throws<ArgumentException>(() => spec.Type.Create(spec, board, time));
        Assert.Equal("Sensors:pulse:Calibration:Channel 5 is not an ADS1115 input (0-3)", e.Message);
    }
}
