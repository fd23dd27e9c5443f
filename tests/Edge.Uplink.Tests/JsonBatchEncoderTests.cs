using System.Text;
using System.Text.Json;
using Edge.Log;
using Edge.Readings;
using Edge.Uplink.Payload;

namespace Edge.Uplink.Tests;

/// <summary>
/// The JSON batch (UPLINK.md §3.2) is a table of sensor shapes and one row per reading, written from the stored bytes:
/// a consumer reading only the document must get every reading back bit for bit, each row's time and numbers in the
/// text the reading's own JSON form uses, and messages within BatchMaxBytes however many shapes a batch holds.
/// </summary>
public class JsonBatchEncoderTests
{
    private static readonly string[] Units = ["%", "{vehicle}", "km/h", "Cel", "a+b", "<&>", "\"q\"", "back\\sl", "it's", "`x`", ""];

    private static (Reading[] Readings, List<LogRecord> Records) Random(int seed, int count, int sensors, int names)
    {
        var random = new Random(seed);
        string[] kinds = [ReadingKinds.TrafficOccupancy, ReadingKinds.HeartRate, ReadingKinds.SpO2, "environment.x_1"];
        var t0 = new DateTimeOffset(2026, 12, 31, 23, 58, 0, TimeSpan.Zero).UtcTicks; // the year, day and minute roll over
        long t = t0;
        var readings = Enumerable.Range(0, count).Select(i =>
        {
            int s = random.Next(sensors);
            // A sensor's values change layout from time to time (a driver that reports one value more): another shape.
            var valueNames = Enumerable.Range(0, random.Next(0, 5)).Select(_ => random.Next(names)).Distinct();
            t += random.Next(0, 3_000_000);
            return new Reading($"S-{s}.x_{s % 7}", kinds[s % kinds.Length], new DateTimeOffset(random.Next(20) == 0 ? t - random.NextInt64(t0) : t, TimeSpan.Zero),
                [.. valueNames.Select(n => new ReadingValue($"v{n}", random.Next(5) switch
                {
                    0 => random.Next(100),
                    1 => Math.Round(random.NextDouble() * 100, 1),
                    2 => -0.0,
                    3 => random.Next(-3, 3) * Math.Pow(10, random.Next(-20, 22)),
                    _ => BitConverter.Int64BitsToDouble(random.NextInt64() & 0x7FEF_FFFF_FFFF_FFFF) * (random.Next(2) == 0 ? 1 : -1),
                }, Units[n % Units.Length]))],
                (ReadingQuality)random.Next(3), random.NextInt64(0, long.MaxValue) >> random.Next(63));
        }).ToArray();
        var records = readings.Select((r, i) => new LogRecord(2, 1_000_000 + i, r.Timestamp.ToUnixTimeMilliseconds(), Encoding.UTF8.GetBytes(r.SensorId), ReadingBinaryCodec.Encode(r), [])).ToList();
        return (readings, records);
    }

    [Theory]
    [InlineData(1, 4, 3)]
    [InlineData(2, 40, 6)]
    [InlineData(3, 400, 300)] // ingested readings: hundreds of sensors and value names
    public void Every_reading_comes_back_from_the_document_alone_with_its_times_and_numbers_written_as_its_json_form(int seed, int sensors, int names)
    {
        var (readings, records) = Random(seed, 1500, sensors, names);
        var encoder = new JsonBatchEncoder("edge-dev", new TopicTemplate("edge/{gateway}/{topic}/{sensor}", "edge-dev"), 500, 1 << 22);
        int index = 0, messages = 0;
        while (index < records.Count)
        {
            int start = index;
            var message = encoder.EncodeNext("traffic", records, ref index, int.MaxValue);
            Assert.NotNull(message);
            using var doc = JsonDocument.Parse(message.Payload);
            var root = doc.RootElement;
            Assert.Equal(("edge-dev/traffic/2/" + (1_000_000 + start) + "-" + (1_000_000 + index - 1), index - start),
                (root.GetProperty("key").GetString(), root.GetProperty("count").GetInt32()));
            Assert.Equal(readings[start..index], JsonBatchReader.Readings(root));
            // Each row's time and numbers are the text of the reading's JSON form (READINGS.md §2), not just equal values.
            var rows = root.GetProperty("readings").EnumerateArray().ToArray();
            for (int i = 0; i < rows.Length; i++)
            {
                using var single = JsonDocument.Parse(ReadingJsonCodec.EncodeUtf8(readings[start + i]));
                Assert.Equal(single.RootElement.GetProperty("ts").GetRawText(), rows[i][1].GetRawText());
                Assert.Equal(single.RootElement.GetProperty("values").EnumerateArray().Select(v => v.GetProperty("value").GetRawText()),
                    rows[i].EnumerateArray().Skip(4).Select(v => v.GetRawText()));
            }
            // The table holds each shape once, and only shapes of this message's readings.
            var shapes = root.GetProperty("sensors").EnumerateArray().Select(s => s.GetRawText()).ToList();
            Assert.Equal(shapes.Count, shapes.Distinct().Count());
            Assert.Equal(shapes.Count, rows.Select(r => r[0].GetInt32()).Distinct().Count());
            messages++;
        }
        Assert.Equal(3, messages);
    }

    [Theory]
    [InlineData(3, 2048)]
    [InlineData(400, 4096)] // a new shape in almost every row: the table grows as fast as the rows
    public void Messages_stay_within_BatchMaxBytes_and_every_reading_is_sent_once(int sensors, int maxBytes)
    {
        var (readings, records) = Random(11, 3000, sensors, 20);
        var encoder = new JsonBatchEncoder("edge-dev", new TopicTemplate("edge/{gateway}/{topic}/{sensor}", "edge-dev"), 4000, maxBytes);
        int index = 0;
        var sent = new List<Reading>();
        while (index < records.Count)
        {
            var message = encoder.EncodeNext("traffic", records, ref index, int.MaxValue);
            Assert.NotNull(message);
            Assert.True(message.Payload.Length <= maxBytes, $"a {message.Payload.Length}-byte message for BatchMaxBytes {maxBytes}");
            using var doc = JsonDocument.Parse(message.Payload);
            sent.AddRange(JsonBatchReader.Readings(doc.RootElement));
        }
        Assert.Equal(readings, sent);
    }
}
