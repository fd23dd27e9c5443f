using Edge.Readings;

namespace Edge.Local.Broker;

/// <summary>
/// Broker:Users:&lt;name&gt;:Sensors — the sensor ids a <c>sensor</c> account may ingest for: exact ids, or prefixes
/// ending in '*' ("node7-*"). An empty list allows any id, as before the key existed.
/// </summary>
public static class SensorPatterns
{
    public static bool Allows(IReadOnlyList<string> patterns, string sensorId)
    {
        if (patterns.Count == 0) return true;
        foreach (var p in patterns)
        {
            if (p.EndsWith('*') ? sensorId.StartsWith(p.AsSpan(0, p.Length - 1), StringComparison.Ordinal) : sensorId == p) return true;
        }
        return false;
    }

    /// <summary>Why <paramref name="pattern"/> is not usable, or null when it is.</summary>
    public static string? Problem(string pattern)
    {
        if (string.IsNullOrEmpty(pattern) || pattern == "*") return $"'{pattern}' is empty (leave the list out to allow any id)";
        int star = pattern.IndexOf('*');
        if (star >= 0 && star != pattern.Length - 1) return $"'{pattern}': '*' may appear only at the end";
        string id = star < 0 ? pattern : pattern[..^1];
        return Reading.IsValidSensorId(id) ? null : $"'{pattern}' is not a sensor id or a prefix of one (1-64 of A-Z a-z 0-9 . _ -, then an optional '*')";
    }
}
