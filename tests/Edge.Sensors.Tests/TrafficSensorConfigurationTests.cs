using Edge.Sensors.Configuration;

namespace Edge.Sensors.Tests;

public class TrafficSensorConfigurationTests
{
    private static (IReadOnlyList<SensorSpec> Specs, List<string> Errors) Validate(params (string Id, SensorDefinition Definition)[] sensors)
    {
        var specs = SensorDefinitionValidator.Validate(sensors.ToDictionary(s => s.Id, s => s.Definition), ["traffic"], out var errors);
        return (specs, errors);
    }

    [Fact]
    public void The_ranging_and_PIR_types_are_known_with_their_defaults()
    {
        foreach (string name in new[] { "vl53l0x", "vl53l1x", "hcsr04", "hcsr501" }) Assert.Contains(name, SensorCatalog.Types);
        var (specs, errors) = Validate(
            ("tof0", new SensorDefinition { Type = "VL53L0X" }),
            ("tof1", new SensorDefinition { Type = "vl53l1x", Bus = 3 }),
            ("us", new SensorDefinition { Type = "hcsr04", Pins = { ["Trigger"] = 23, ["Echo"] = 24 } }),
            ("pir", new SensorDefinition { Type = "hcsr501", Pins = { ["Output"] = 17 } }));
        Assert.Empty(errors);
        var tof0 = specs.Single(s => s.Id == "tof0");
        Assert.Equal((1, 0x29, "traffic"), (tof0.Bus, tof0.Address, tof0.Topic));
        Assert.Equal(TimeSpan.FromMilliseconds(50), tof0.Sampling.Interval);
        Assert.Equal(1.9, tof0.Setting("MountHeightMeters"));
        Assert.Equal(0.5, tof0.Setting("ThresholdMeters"));
        Assert.Equal(3.5, specs.Single(s => s.Id == "tof1").Setting("MountHeightMeters"));
        var us = specs.Single(s => s.Id == "us");
        Assert.Equal((23, 24), (us.Pin("Trigger"), us.Pin("Echo")));
        Assert.Equal(TimeSpan.FromMilliseconds(100), us.Sampling.Interval);
        Assert.Equal(TimeSpan.FromSeconds(60), specs.Single(s => s.Id == "pir").Sampling.Interval);
    }

    [Fact]
    public void A_VL53L0X_and_a_VL53L1X_on_one_bus_collide_at_0x29()
    {
        var (_, errors) = Validate(("a", new SensorDefinition { Type = "vl53l0x" }), ("b", new SensorDefinition { Type = "vl53l1x" }));
        Assert.Equal(["Sensors:b:Address 0x29 on I2C bus 1 is already used by sensor 'a'"], errors);
    }

    [Fact]
    public void GPIO_ranging_and_PIR_sensors_need_their_pins_by_role()
    {
        var (_, errors) = Validate(
            ("us", new SensorDefinition { Type = "hcsr04", Pins = { ["Trigger"] = 23 } }),
            ("pir", new SensorDefinition { Type = "hcsr501", Pins = { ["Input"] = 17 } }),
            ("tof", new SensorDefinition { Type = "vl53l0x", Address = "0x30" }));
        Assert.Equal(
        [
            "Sensors:pir:Pins:Output is required for a hcsr501 (GPIO line, BCM numbering)",
            "Sensors:pir:Pins:Input is not a pin of a hcsr501; its pins: Output",
            "Sensors:tof:Address 0x30 is not an address a vl53l0x answers on (0x29)",
            "Sensors:us:Pins:Echo is required for a hcsr04 (GPIO line, BCM numbering)",
        ], errors);
    }
}
