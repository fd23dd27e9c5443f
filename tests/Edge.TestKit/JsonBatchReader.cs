using System.Globalization;
using System.Text.Json;
using Edge.Readings;

namespace Edge.TestKit;

/// <summary>
/// Reads a JSON batch (UPLINK.md §3.2) as a consumer would, from the document alone: the <c>sensors</c> table, then each
/// row <c>[shape,"ts",seq,"quality",v1,…]</c> with its values named by the shape's entry in order.
/// </summary>
public static class JsonBatchReader
{
    public static IReadOnlyList<Reading> Readings(JsonElement batch)
    {
        var shapes = batch.GetProperty("sensors").EnumerateArray().Select(s => (
            Sensor: s.GetProperty("sensor").GetString()!,
            Kind: s.GetProperty("kind").GetString()!,
            Values: s.GetProperty("values").EnumerateArray().Select(v => (Name: v.GetProperty("name").GetString()!, Unit: v.GetProperty("unit").GetString()!)).ToArray()))
            .ToArray();
        var readings = new List<Reading>();
        foreach (var row in batch.GetProperty("readings").EnumerateArray())
        {
            var shape = shapes[row[0].GetInt32()];
            Assert.Equal(4 + shape.Values.Length, row.GetArrayLength());
            var ts = DateTime.ParseExact(row[1].GetString()!, "yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            var quality = row[3].GetString() switch
            {
                "ok" => ReadingQuality.Ok,
                "degraded" => ReadingQuality.Degraded,
                "simulated" => ReadingQuality.Simulated,
                var q => throw new FormatException($"quality {q}"),
            };
            readings.Add(new Reading(shape.Sensor, shape.Kind, new DateTimeOffset(ts, TimeSpan.Zero),
                [.. shape.Values.Select((v, i) => new ReadingValue(v.Name, row[4 + i].GetDouble(), v.Unit))], quality, row[2].GetInt64()));
        }
        return readings;
    }
}
