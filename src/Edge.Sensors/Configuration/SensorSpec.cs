using Edge.Sensors.Sampling;

namespace Edge.Sensors.Configuration;

/// <summary>A validated sensor declaration: everything resolved to the type's defaults, ready to build.</summary>
public sealed record SensorSpec(
    string Id,
    SensorType Type,
    int Bus,
    int Address,
    IReadOnlyDictionary<string, int> Pins,
    string Topic,
    string Site,
    SamplerOptions Sampling,
    IReadOnlyDictionary<string, double> Calibration)
{
    /// <summary>A calibration value, or the type's default for it.</summary>
    public double Setting(string name) => Calibration.TryGetValue(name, out double v) ? v : Type.Calibration[name];

    /// <summary>The GPIO line assigned to a role of the type.</summary>
    public int Pin(string role) => Pins[role];
}
