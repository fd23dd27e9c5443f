namespace Edge.Sensors.Configuration;

/// <summary>
/// The "Sensors" section: one entry per sensor, keyed by its id, read by <see cref="SensorSectionReader"/> and checked
/// by <see cref="SensorsOptionsValidator"/>; the running sensors are <see cref="ConfiguredSensors"/>, resolved from it.
/// </summary>
public sealed class SensorsOptions
{
    public const string Section = "Sensors";

    public Dictionary<string, SensorDefinition> Definitions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Values that could not be read (reported by validation with the rest).</summary>
    public List<string> ReadErrors { get; } = [];
}
