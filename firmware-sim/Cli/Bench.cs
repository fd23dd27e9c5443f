using Edge.Sensors.Configuration;

namespace Edge.FirmwareSim.Cli;

/// <summary>
/// The bench firmware-sim runs when no configuration is given: the gateway's default sensors (gateway/appsettings.json
/// declares the same set), a roadside lane and a patient's bed.
/// </summary>
public static class Bench
{
    public static Dictionary<string, SensorDefinition> Default() => new(StringComparer.Ordinal)
    {
        ["mag-lane1"] = new() { Type = "qmc5883l", Site = "lane1" },
        ["loop-lane1"] = new() { Type = "loop", Pins = { ["Input"] = 17 }, Interval = TimeSpan.FromSeconds(10), Site = "lane1" },
        ["spo2-bed1"] = new() { Type = "max30102", Site = "bed1" },
    };
}
