namespace Edge.FirmwareSim.Synthetic;

/// <summary>One synthetic sensor reading (placeholder model until the register-level simulators land).</summary>
public sealed record SyntheticReading(string SensorId, string Kind, string Topic, long TimestampMs, long Sequence,
    IReadOnlyDictionary<string, double> Values);
