using Edge.Sensors.Configuration;
using Edge.Sensors.Sampling;

namespace Edge.Sensors.Tests;

public class SensorConfigurationTests
{
    private static readonly string[] Topics = ["traffic", "health", "environment"];

    private static (IReadOnlyList<SensorSpec> Specs, List<string> Errors) Validate(params (string Id, SensorDefinition Definition)[] sensors)
    {
        var specs = SensorDefinitionValidator.Validate(sensors.ToDictionary(s => s.Id, s => s.Definition), Topics, out var errors);
        return (specs, errors);
    }

    [Fact]
    public void A_minimal_declaration_gets_the_types_defaults()
    {
        var (specs, errors) = Validate(("mag-1", new SensorDefinition { Type = "QMC5883L" }), ("loop-1", new SensorDefinition { Type = "loop", Pins = { ["Input"] = 17 } }));
        Assert.Empty(errors);
        var mag = specs.Single(s => s.Id == "mag-1");
        Assert.Equal((1, 0x0D, "traffic"), (mag.Bus, mag.Address, mag.Topic));
        Assert.Equal(TimeSpan.FromMilliseconds(20), mag.Sampling.Interval);
        Assert.Equal(SensorOverflow.DropOldest, mag.Sampling.Overflow);
        Assert.Equal(0.06, mag.Setting("OnThresholdGauss"));
        Assert.Equal(17, specs.Single(s => s.Id == "loop-1").Pin("input"));
    }

    [Fact]
    public void An_unknown_type_lists_the_known_ones()
    {
        var (_, errors) = Validate(("x1", new SensorDefinition { Type = "bmp999" }));
        var e = Assert.Single(errors);
        Assert.StartsWith("Sensors:x1:Type 'bmp999' is not a known sensor type; known types: ", e);
        foreach (string known in SensorCatalog.Types) Assert.Contains(known, e);
    }

    [Theory]
    [InlineData("0x80", "Sensors:m:Address '0x80' is not a 7-bit I2C device address")]
    [InlineData("zz", "Sensors:m:Address 'zz' is not a 7-bit I2C device address")]
    [InlineData("0x1E", "Sensors:m:Address 0x1E is not an address a qmc5883l answers on (0x0D)")]
    public void A_bad_address_names_the_sensor_and_the_key(string address, string expected)
    {
        var (specs, errors) = Validate(("m", new SensorDefinition { Type = "qmc5883l", Address = address }));
        Assert.Empty(specs);
        Assert.StartsWith(expected, Assert.Single(errors));
    }

    [Fact]
    public void Two_sensors_on_one_address_or_one_pin_name_each_other()
    {
        var (_, errors) = Validate(
            ("a", new SensorDefinition { Type = "qmc5883l" }),
            ("b", new SensorDefinition { Type = "qmc5883l", Address = "13" }),
            ("c", new SensorDefinition { Type = "qmc5883l", Bus = 3 }),
            ("l1", new SensorDefinition { Type = "loop", Pins = { ["Input"] = 5 } }),
            ("l2", new SensorDefinition { Type = "loop", Pins = { ["Input"] = 5 } }));
        Assert.Equal(["Sensors:b:Address 0x0D on I2C bus 1 is already used by sensor 'a'", "Sensors:l2:Pins:Input GPIO 5 is already used by 'l1:Input'"], errors);
    }

    [Fact]
    public void Bad_pins_name_the_sensor_the_role_and_the_valid_range()
    {
        var (_, errors) = Validate(
            ("l1", new SensorDefinition { Type = "loop", Pins = { ["Input"] = 40 } }),
            ("l2", new SensorDefinition { Type = "loop" }),
            ("l3", new SensorDefinition { Type = "loop", Pins = { ["Input"] = 6, ["Echo"] = 7 } }),
            ("m", new SensorDefinition { Type = "qmc5883l", Pins = { ["Input"] = 8 } }));
        Assert.Equal(
        [
            "Sensors:l1:Pins:Input 40 is not a GPIO line on the Raspberry Pi header (0-27, BCM numbering)",
            "Sensors:l2:Pins:Input is required for a loop (GPIO line, BCM numbering)",
            "Sensors:l3:Pins:Echo is not a pin of a loop; its pins: Input",
            "Sensors:m:Pins: a qmc5883l is an I2C device and takes no GPIO pins",
        ], errors);
    }

    [Fact]
    public void Unknown_calibration_bad_topic_bad_interval_and_bad_id_are_each_reported()
    {
        var (specs, errors) = Validate(
            ("m", new SensorDefinition { Type = "qmc5883l", Calibration = { ["Gain"] = 2 }, Topic = "trafic", Interval = TimeSpan.Zero }),
            ("bad/id", new SensorDefinition { Type = "qmc5883l", Bus = 2 }));
        Assert.Empty(specs);
        Assert.Equal(
        [
            "Sensors:bad/id: a sensor id must be 1-64 characters of A-Z a-z 0-9 . _ - (it appears in MQTT topics)",
            "Sensors:m:Topic 'trafic' is not a topic of the log (configured: traffic, health, environment)",
            "Sensors:m:Calibration:Gain is not a setting of a qmc5883l; known: OnThresholdGauss, OffThresholdGauss",
            "Sensors:m:Interval must be at least 1 ms",
        ], errors);
    }

    [Fact]
    public void A_disabled_sensor_is_neither_checked_nor_built()
    {
        var (specs, errors) = Validate(("off", new SensorDefinition { Type = "nonsense", Enabled = false }), ("on", new SensorDefinition { Type = "max30102" }));
        Assert.Empty(errors);
        Assert.Equal("on", Assert.Single(specs).Id);
    }
}
