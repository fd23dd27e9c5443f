using System.Text.Json;

namespace Edge.Local.Query;

/// <summary>
/// Writes a <c>range</c> page of one sensor as columns (QUERY.md "range", <c>"format":"columns"</c>): <c>"ts"</c> (Unix
/// ms), then under <c>"values"</c> one array per value name in the order first seen on the page, null where a
/// reading lacks that value, and <c>"units"</c>. What a plotting library wants (uPlot's data are exactly these
/// arrays), and a tenth of the bytes of the reading objects: a browser parses a day of a 4 Hz sensor in a few dozen
/// pages instead of hundreds.
/// </summary>
internal static class RangeColumns
{
    public static void Write(Utf8JsonWriter w, List<FoundReading> found)
    {
        w.WriteString("format", RangeFormat.Columns);
        w.WriteNumber("count", found.Count);
        w.WriteStartArray("ts");
        foreach (var f in found) w.WriteNumberValue(f.Reading.Timestamp.ToUnixTimeMilliseconds());
        w.WriteEndArray();
        var names = new List<(string Name, string Unit)>();
        foreach (var f in found)
            foreach (var v in f.Reading.Values)
                if (IndexOf(names, v.Name) < 0) names.Add((v.Name, v.Unit));
        w.WriteStartObject("values");
        foreach (var (name, _) in names)
        {
            w.WriteStartArray(name);
            foreach (var f in found)
            {
                if (Find(f.Reading.Values, name) is { } value) w.WriteNumberValue(value);
                else w.WriteNullValue();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteStartObject("units");
        foreach (var (name, unit) in names) w.WriteString(name, unit);
        w.WriteEndObject();
    }

    // A page holds a handful of value names: a loop, not a closure per value of every reading.
    private static int IndexOf(List<(string Name, string Unit)> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
            if (names[i].Name == name) return i;
        return -1;
    }

    // A reading holds a handful of values: a linear look-up beats a dictionary per reading.
    private static double? Find(IReadOnlyList<Edge.Readings.ReadingValue> values, string name)
    {
        for (int i = 0; i < values.Count; i++)
            if (values[i].Name == name) return values[i].Value;
        return null;
    }
}
