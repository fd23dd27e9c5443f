using Edge.Sensors.Configuration;

namespace Edge.FirmwareSim.Cli;

/// <summary>
/// The bench firmware-sim runs when no configuration is given: the gateway's default sensors (gateway/appsettings.json
/// declares the same set) — a roadside lane with every traffic sensor and a patient's bed with every health sensor.
/// The two time-of-flight sensors share address 0x29, so the VL53L1X sits on a second bus.
/// </summary>
public static class Bench
{
    public static Dictionary<string, SensorDefinition> Default() => new(StringComparer.Ordinal)
    {
        ["mag-lane1"] = new() { Type = "qmc5883l", Site = "lane1" },
        ["loop-lane1"] = new() { Type = "loop", Pins = { ["Input"] = 17 }, Interval = TimeSpan.FromSeconds(10), Site = "lane1" },
        ["tof-lane1"] = new() { Type = "vl53l0x", Interval = TimeSpan.FromMilliseconds(100), Site = "lane1", Calibration = { ["ReportSeconds"] = 10 } },
        ["tof-lane1-long"] = new() { Type = "vl53l1x", Bus = 3, Interval = TimeSpan.FromMilliseconds(100), Site = "lane1", Calibration = { ["ReportSeconds"] = 10 } },
        ["sonar-lane1"] = new() { Type = "hcsr04", Pins = { ["Trigger"] = 23, ["Echo"] = 24 }, Interval = TimeSpan.FromMilliseconds(500), Site = "lane1", Calibration = { ["ReportSeconds"] = 10 } },
        ["pir-lane1"] = new() { Type = "hcsr501", Pins = { ["Output"] = 27 }, Interval = TimeSpan.FromSeconds(30), Site = "lane1" },
        ["spo2-bed1"] = new() { Type = "max30102", Site = "bed1" },
        ["temp-bed1"] = new() { Type = "mlx90614", Site = "bed1" },
        ["fall-bed1"] = new() { Type = "mpu6050", Site = "bed1" },
        ["pulse-bed1"] = new() { Type = "ads1115-pulse", Site = "bed1" },
        ["env-1"] = new() { Type = "bme280", Site = "bed1" },
    };
}
