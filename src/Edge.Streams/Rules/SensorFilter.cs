namespace Edge.Streams.Rules;

/// <summary>Sensor ids a rule applies to: exact ids and prefixes ending in '*'; empty matches every sensor.</summary>
public sealed class SensorFilter
{
    private readonly string[] _exact;
    private readonly string[] _prefixes;

    public SensorFilter(IEnumerable<string> patterns)
    {
        var list = patterns.Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
        _exact = list.Where(p => !p.EndsWith('*')).ToArray();
        _prefixes = list.Where(p => p.EndsWith('*')).Select(p => p[..^1]).ToArray();
        Text = string.Join(",", list);
    }

    public static SensorFilter All { get; } = new([]);

    public string Text { get; }

    public bool Matches(string sensorId)
    {
        if (_exact.Length == 0 && _prefixes.Length == 0) return true;
        foreach (var e in _exact) if (string.Equals(e, sensorId, StringComparison.Ordinal)) return true;
        foreach (var p in _prefixes) if (sensorId.StartsWith(p, StringComparison.Ordinal)) return true;
        return false;
    }
}
