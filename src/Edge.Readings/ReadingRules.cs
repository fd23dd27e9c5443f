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
        // Allocation-free: this runs for every reading decoded (uplink, queries), so messages are built only on failure.
        for (int i = 0; i < r.Values.Count; i++)
        {
            var v = r.Values[i];
            if (!IsId(v.Name, 32, allowUpper: false, allowDash: false) || v.Name.Contains('.'))
                throw new ReadingFormatException($"values[{i}].name: '{v.Name}' must be 1-32 characters of a-z 0-9 _");
            for (int j = 0; j < i; j++)
                if (string.Equals(r.Values[j].Name, v.Name, StringComparison.Ordinal)) throw new ReadingFormatException($"values[{i}].name: '{v.Name}' appears twice");
            if (!double.IsFinite(v.Value)) throw new ReadingFormatException($"values[{i}].value: {v.Value} is not a finite number");
            if (!IsUnit(v.Unit)) throw new ReadingFormatException($"values[{i}].unit: '{v.Unit}' must be 0-16 printable ASCII characters without spaces");
        }
    }

    private static bool IsUnit(string? unit)
    {
        if (unit is null || unit.Length > 16) return false;
        foreach (char c in unit)
            if (c is < '!' or > '~') return false;
        return true;
    }

    public static bool IsValidSensorId(string? s) => IsId(s, 64, allowUpper: true, allowDash: true);

    private static void Check(bool ok, string field, string? value, string rule)
    {
        if (!ok) throw new ReadingFormatException($"{field}: '{value}' {rule}");
    }

    private static bool IsId(string? s, int max, bool allowUpper, bool allowDash)
    {
        if (string.IsNullOrEmpty(s) || s.Length > max) return false;
        foreach (char c in s)
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' || allowUpper && c is >= 'A' and <= 'Z' || allowDash && c == '-')) return false;
        return true;
    }
}
