namespace Edge.Readings;

/// <summary>The validity rules shared by the constructor and both codecs.</summary>
internal static class ReadingRules
{
    public static void Validate(Reading r)
    {
        Check(IsId(r.SensorId, 64, allowUpper: true, allowDash: true), "sensorId", r.SensorId, "must be 1-64 characters of A-Z a-z 0-9 . _ -");
        Check(IsId(r.Kind, 64, allowUpper: false, allowDash: false), "kind", r.Kind, "must be 1-64 characters of a-z 0-9 . _");
        if (r.Sequence < 0) throw new ReadingFormatException($"seq: {r.Sequence} is negative");
        if (!Enum.IsDefined(r.Quality)) throw new ReadingFormatException($"quality: {(int)r.Quality} is not ok, degraded or simulated");
        if (r.Values.Count > Reading.MaxValues) throw new ReadingFormatException($"values: {r.Values.Count} values; at most {Reading.MaxValues}");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < r.Values.Count; i++)
        {
            var v = r.Values[i];
            Check(IsId(v.Name, 32, allowUpper: false, allowDash: false) && !v.Name.Contains('.'), $"values[{i}].name", v.Name, "must be 1-32 characters of a-z 0-9 _");
            if (!names.Add(v.Name)) throw new ReadingFormatException($"values[{i}].name: '{v.Name}' appears twice");
            if (!double.IsFinite(v.Value)) throw new ReadingFormatException($"values[{i}].value: {v.Value} is not a finite number");
            Check(v.Unit is not null && v.Unit.Length <= 16 && v.Unit.All(c => c is >= '!' and <= '~'), $"values[{i}].unit", v.Unit, "must be 0-16 printable ASCII characters without spaces");
        }
    }

    public static bool IsValidSensorId(string? s) => IsId(s, 64, allowUpper: true, allowDash: true);

    private static void Check(bool ok, string field, string? value, string rule)
    {
        if (!ok) throw new ReadingFormatException($"{field}: '{value}' {rule}");
    }

    private static bool IsId(string? s, int max, bool allowUpper, bool allowDash) =>
        !string.IsNullOrEmpty(s) && s.Length <= max && s.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_'
            || allowUpper && c is >= 'A' and <= 'Z' || allowDash && c == '-');
}
