using Edge.Sensors.Configuration;

namespace Edge.Gateway.Configuration;

/// <summary>The "Sensors" section: one entry per sensor, keyed by its id. <see cref="Specs"/> is filled by validation.</summary>
public sealed class SensorSettings
{
    public const string Section = "Sensors";

    public Dictionary<string, SensorDefinition> Definitions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Values that could not be read (reported by validation with the rest).</summary>
    public List<string> ReadErrors { get; } = [];

    /// <summary>The enabled sensors, resolved and validated at start by <see cref="SensorSettingsValidator"/>.</summary>
    public IReadOnlyList<SensorSpec> Specs { get; set; } = [];
}
