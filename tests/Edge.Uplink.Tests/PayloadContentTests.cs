using Edge.Readings;
using Edge.Uplink.Tests.TestKit;

namespace Edge.Uplink.Tests;

/// <summary>
/// Every payload format carries each reading exactly as the log stores it — sensor, kind, time to the tick, sequence,
/// quality, every value's name, unit and bits — through a real Mosquitto (UPLINK.md §3).
/// </summary>
public class PayloadContentTests
{
    /// <summary>Every <see cref="PayloadFormat"/>, so a format added later is covered without editing this test.</summary>
    public static TheoryData<PayloadFormat> Formats() => [.. Enum.GetValues<PayloadFormat>()];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Every_delivered_reading_equals_the_stored_reading_at_its_offset(PayloadFormat format)
    {
        using var dir = new TempDir();
        using var broker = new Mosquitto(Path.Combine(dir.Path, "broker"));
        await using var cloud = await Subscriber.ConnectAsync(broker.Port);
        await using var rig = new Rig(dir.Path, Rig.Options_(broker.Port, o => { o.Format = format; o.BatchMaxReadings = 50; }));
        await AppendVariedAsync(rig, 600);
        var stored = Content.Stored(rig.Log);
        Assert.Equal(600, stored.Count);
        rig.Start();
        await cloud.WaitFor(m => m.Sum(x => Content.Decode(x).Readings.Count) >= stored.Count, TimeSpan.FromSeconds(60), "every reading");

        int compared = Content.AssertMatchesLog(cloud.Messages, stored, rig.Gateway);
        Assert.Equal(stored.Count, compared);
        // Each stored reading arrived (the comparison above is by offset, so a missing one would not show there).
        var delivered = cloud.Messages.Select(Content.Decode).SelectMany(d => Enumerable.Range(0, d.Readings.Count).Select(i => (d.Topic, d.Partition, d.First + i))).ToHashSet();
        var missing = stored.Keys.Where(k => !delivered.Contains(k)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} stored readings never arrived, e.g. {string.Join(", ", missing.Take(5))}");
    }

    /// <summary>
    /// Readings that exercise every field: several sensors per partition and kinds, sub-millisecond timestamps going
    /// backwards and forwards, sequence gaps, all qualities, 0–5 values with awkward doubles (−0, subnormal, extremes,
    /// values whose shortest text is long) and units with JSON-escaped characters.
    /// </summary>
    private static async Task AppendVariedAsync(Rig rig, int count)
    {
        double[] awkward = [0.1, -0.0, 0.0, double.Epsilon, double.MaxValue, double.MinValue, 1e-300, 123456789.12345678, -47.5, 1.0 / 3, 5e-324, 9007199254740993];
        string[] units = ["1", "%", "{vehicle}", "km/h", "Cel", "a\"b\\c", "mm"];
        var kinds = new[] { ReadingKinds.TrafficVehicle, ReadingKinds.TrafficOccupancy, ReadingKinds.HeartRate, "custom.kind_2" };
        var start = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
        var random = new Random(13);
        var seq = new Dictionary<string, long>();
        var appends = new List<Task>();
        for (int i = 0; i < count; i++)
        {
            string sensor = $"s-{i % 9}.x_{i % 3}";
            string topic = i % 9 < 3 ? "health" : "traffic";
            long s = seq.GetValueOrDefault(sensor) + (i % 17 == 0 ? 3 : 1); // some gaps
            seq[sensor] = s;
            var values = Enumerable.Range(0, i % 6).Select(v => new ReadingValue($"v{v}_{i % 4}", awkward[(i + v) % awkward.Length] * (random.Next(2) == 0 ? 1 : -1), units[(i + v) % units.Length])).ToArray();
            var ts = start.AddTicks(random.NextInt64(-50_000_000, 5_000_000_000) + i * 12_345L);
            var reading = new Reading(sensor, kinds[i % kinds.Length], ts, values, (ReadingQuality)(i % 3), s);
            appends.Add(rig.Log.AppendAsync(topic, new Edge.Log.Record(System.Text.Encoding.UTF8.GetBytes(sensor), ReadingBinaryCodec.Encode(reading), ts.ToUnixTimeMilliseconds())).AsTask());
        }
        await Task.WhenAll(appends);
    }
}
