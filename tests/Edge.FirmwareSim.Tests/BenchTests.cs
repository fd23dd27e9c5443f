using System.Text;
using Edge.FirmwareSim.Cli;
using Edge.Sensors.Configuration;

namespace Edge.FirmwareSim.Tests;

/// <summary>`firmware-sim run` plays the gateway's shipped sensors, read from gateway/appsettings.json.</summary>
public class BenchTests
{
    [Fact]
    public void The_bench_is_the_gateways_sensor_list_and_validates()
    {
        var specs = SensorDefinitionValidator.Validate(Bench.Default(), null, out var errors);
        Assert.Empty(errors);
        Assert.Equal(["env-1", "fall-bed1", "loop-lane1", "mag-lane1", "pir-lane1", "pulse-bed1", "sonar-lane1", "spo2-bed1", "temp-bed1", "tof-lane1", "tof-lane1-long"],
            specs.Select(s => s.Id).Order(StringComparer.Ordinal));
        var tof = specs.Single(s => s.Id == "tof-lane1-long");
        Assert.Equal((3, 0x29, TimeSpan.FromMilliseconds(100), 10.0), (tof.Bus, tof.Address, tof.Sampling.Interval, tof.Setting("reportseconds")));
        Assert.Equal(24, specs.Single(s => s.Id == "sonar-lane1").Pin("echo"));
    }

    [Fact]
    public void A_misspelt_key_is_an_error_naming_it()
    {
        var json = new MemoryStream(Encoding.UTF8.GetBytes("""{ "Sensors": { "mag-1": { "Type": "qmc5883l", "Intervall": "00:00:01" } } }"""));
        var e = Assert.Throws<InvalidDataException>(() => Bench.Read(json, "test.json"));
        Assert.StartsWith("test.json: Sensors", e.Message);
        Assert.Contains("Intervall", e.Message);
    }

    [Fact]
    public void A_file_without_sensors_is_an_error()
    {
        var e = Assert.Throws<InvalidDataException>(() => Bench.Read(new MemoryStream("""{ "Gateway": {} }"""u8.ToArray()), "test.json"));
        Assert.Equal("test.json has no \"Sensors\" object", e.Message);
    }
}
