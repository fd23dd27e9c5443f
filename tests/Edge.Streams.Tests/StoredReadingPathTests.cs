using System.Buffers.Binary;
using Edge.Log;
using Edge.Readings;
using Edge.Streams.Configuration;
using Edge.Streams.Engine;
using Edge.Streams.Tests.TestKit;

namespace Edge.Streams.Tests;

/// <summary>
/// The service feeds the engine stored bytes, read without building a <see cref="Reading"/> (a sensor's layout is
/// remembered, so only its values are read); the tests and the replay feed decoded readings. Both must give the same
/// alerts, summaries, counters and state for any readings, and refuse exactly the records the decoder refuses.
/// </summary>
public class StoredReadingPathTests
{
    private static readonly string[] Names = ["spo2", "bpm", "occupancy", "present", "lane", "x"];
    private static readonly string[] Units = ["%", "/min", "1", "", "{vehicle}"];
    private static readonly string[] Kinds = [ReadingKinds.SpO2, ReadingKinds.TrafficOccupancy, ReadingKinds.Environment];

    // Every rule kind, keyed by sensor, site and field, reading the fields the random readings carry (or lack).
    private static readonly Dictionary<string, RuleOptions> AllKinds = new()
    {
        ["low"] = new() { Type = "threshold", Kind = ReadingKinds.SpO2, Condition = "spo2 < 92", For = "3s", Clear = "spo2 >= 95" },
        ["two"] = new() { Type = "threshold", Kind = ReadingKinds.TrafficOccupancy, Condition = "occupancy > 50 and present == 1" },
        ["mean"] = new() { Type = "aggregate", Kind = ReadingKinds.SpO2, Condition = "mean(bpm) > 80", Window = "10s" },
        ["site"] = new() { Type = "aggregate", Kind = ReadingKinds.TrafficOccupancy, KeyBy = "site", Condition = "max(occupancy) > 70", Clear = "max(occupancy) < 30", Window = "20s", Hop = "5s" },
        ["lanes"] = new() { Type = "aggregate", Kind = ReadingKinds.TrafficOccupancy, KeyBy = "field:lane", Condition = "p95(occupancy) > 60", Window = "10s" },
        ["visits"] = new() { Type = "aggregate", Kind = ReadingKinds.TrafficOccupancy, SessionGap = "4s", Condition = "count(present) > 3" },
        ["rising"] = new() { Type = "rate", Kind = ReadingKinds.Environment, Condition = "rate(x) > 100", Window = "30s", Hop = "10s" },
        ["silent"] = new() { Type = "absence", Missed = 3 },
        ["stuck"] = new() { Type = "stuck", Kind = ReadingKinds.Environment, Count = 3 },
        ["stuck-x"] = new() { Type = "stuck", Kind = ReadingKinds.SpO2, Fields = "bpm", Count = 3 },
        ["then"] = new() { Type = "sequence", Kind = ReadingKinds.SpO2, Condition = "spo2 < 93", Then = ReadingKinds.TrafficOccupancy, Within = "5s" },
        ["summary"] = new() { Type = "summary", Kind = ReadingKinds.TrafficOccupancy, Window = "10s", Fields = "occupancy,lane", Aggregates = "count,mean,max", Output = "summaries" },
    };

    private static readonly Dictionary<string, string> Sites = new() { ["s0"] = "north", ["s1"] = "north", ["s2"] = "south" };

    // Readings of a few sensors, each usually keeping its kind and layout (as real ones do) but now and then switching
    // kind, reordering, dropping or adding values, or changing a unit; values from a few levels so that rules fire,
    // runs repeat and windows fill; times mostly rising, some late, on three partitions.
    private static List<(TopicPartition Tp, Reading Reading)> RandomReadings(int seed, int count)
    {
        var random = new Random(seed);
        var layouts = new Dictionary<string, (string Kind, string[] Names, string[] Units)>();
        var readings = new List<(TopicPartition, Reading)>();
        var t = EngineDriver.T0;
        for (int i = 0; i < count; i++)
        {
            string sensor = $"s{random.Next(6)}";
            if (!layouts.TryGetValue(sensor, out var layout) || random.Next(20) == 0)
            {
                var names = Names.OrderBy(_ => random.Next()).Take(random.Next(0, 5)).ToArray();
                layouts[sensor] = layout = (Kinds[random.Next(Kinds.Length)], names, names.Select(_ => Units[random.Next(Units.Length)]).ToArray());
            }
            t = t.AddMilliseconds(random.Next(0, 1500));
            var at = random.Next(30) == 0 ? t.AddSeconds(-random.Next(1, 20)) : t;
            var values = layout.Names.Select((n, k) => new ReadingValue(n, random.Next(4) switch { 0 => 1, 1 => 50, 2 => random.Next(0, 101), _ => Math.Round(random.NextDouble() * 100, 2) }, layout.Units[k])).ToArray();
            readings.Add((new TopicPartition(sensor == "s0" ? "traffic" : "health", random.Next(2)), new Reading(sensor, layout.Kind, at, values, ReadingQuality.Ok, i)));
        }
        return readings;
    }

    private static StreamEngine Engine()
    {
        var errors = new List<string>();
        var rules = RuleParser.Parse(AllKinds, errors);
        Assert.Empty(errors);
        return new StreamEngine(rules, new StreamsOptions { AllowedLateness = TimeSpan.FromSeconds(2) }, Sites);
    }

    private static string Text(Emitted e) => $"{e.Topic} {e.RecordKey} {ReadingJsonCodec.EncodeUtf8(e.Reading).Length}:{System.Text.Encoding.UTF8.GetString(ReadingJsonCodec.EncodeUtf8(e.Reading))}";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Stored_bytes_give_the_same_alerts_summaries_counters_and_state_as_decoded_readings(int seed)
    {
        var readings = RandomReadings(seed, 3000);
        var random = new Random(seed + 100);
        StreamEngine decoded = Engine(), stored = Engine();
        List<Emitted> fromDecoded = [], fromStored = [];
        int refused = 0, corrupted = 0;
        for (int i = 0; i < readings.Count; i++)
        {
            var (tp, reading) = readings[i];
            byte[] bytes = ReadingBinaryCodec.Encode(reading);
            if (random.Next(10) == 0)
            {
                bytes = Corrupt(bytes, random);
                corrupted++;
            }
            long now = reading.Timestamp.ToUnixTimeMilliseconds() + 1000;
            Reading? r = null;
            try
            {
                r = ReadingBinaryCodec.Decode(bytes);
            }
            catch (ReadingFormatException)
            {
                refused++;
            }
            Assert.Equal(r is not null, stored.Process(tp, i, bytes, now, fromStored));
            if (r is not null) decoded.Process(tp, i, r, now, fromDecoded);
            if (i % 500 == 0)
            {
                decoded.Tick(now + 60_000, fromDecoded);
                stored.Tick(now + 60_000, fromStored);
            }
        }
        Assert.InRange(refused, 1, corrupted - 1); // some damage leaves a valid reading (a value's bit), which both read alike
        Assert.Contains(fromDecoded, e => e.Alert is { Raised: true });
        Assert.Contains(fromDecoded, e => e.Alert is null); // summaries
        Assert.Equal(fromDecoded.Select(Text), fromStored.Select(Text));
        Assert.Equal(decoded.Snapshot().ToJsonString(), stored.Snapshot().ToJsonString());
        Assert.Equal(decoded.Statuses, stored.Statuses);
    }

    // A bit flipped anywhere; the last value made NaN or infinite (what a layout match leaves to check); a byte of the
    // ids, names or units changed to one they may not hold; or the record cut short or extended.
    private static byte[] Corrupt(byte[] bytes, Random random)
    {
        switch (random.Next(4))
        {
            case 0:
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(bytes.Length - 8), random.Next(2) == 0 ? double.NaN : double.PositiveInfinity);
                return bytes;
            case 2:
                bytes[random.Next(14, bytes.Length)] = "A -."u8[random.Next(4)];
                return bytes;
            default:
                return random.Next(2) == 0 ? bytes[..^1] : [.. bytes, 0];
        }
    }

    /// <summary>
    /// A sensor whose second layout has the same kind, byte length and value names as its first, in another order:
    /// reading it by the remembered positions would compare bpm with the spo2 threshold and raise nothing.
    /// </summary>
    [Fact]
    public void A_sensor_that_reorders_its_values_is_read_by_name_not_by_the_remembered_positions()
    {
        var d = new EngineDriver(new Dictionary<string, RuleOptions>
        {
            ["low"] = new() { Type = "threshold", Kind = ReadingKinds.SpO2, Condition = "spo2 < 90", For = "5s", Clear = "spo2 >= 92" },
        }, new StreamsOptions { AllowedLateness = TimeSpan.Zero });
        var output = new List<Emitted>();
        var tp = new TopicPartition("health", 0);
        for (int s = 0; s <= 20; s++)
        {
            ReadingValue spo2 = new("spo2", s < 10 ? 97 : 85, "%"), bpm = new("bpm", 99, "/m");
            var reading = new Reading("ox-1", ReadingKinds.SpO2, EngineDriver.T0.AddSeconds(s), s < 10 ? [spo2, bpm] : [bpm, spo2]);
            Assert.True(d.Engine.Process(tp, s, ReadingBinaryCodec.Encode(reading), reading.Timestamp.ToUnixTimeMilliseconds(), output));
        }
        var raised = Assert.Single(output).Alert!;
        Assert.Equal((true, 15.0, 10.0), (raised.Raised, EngineDriver.Seconds(raised.At), EngineDriver.Seconds(raised.EpisodeStart)));
        Assert.Equal([new ReadingValue("spo2", 85, "%")], raised.Values);
    }

    [Fact]
    public void A_stored_record_the_decoder_refuses_is_refused_and_changes_nothing()
    {
        var d = new EngineDriver(new Dictionary<string, RuleOptions>
        {
            ["low"] = new() { Type = "threshold", Kind = ReadingKinds.SpO2, Condition = "spo2 < 90" },
        });
        var output = new List<Emitted>();
        var tp = new TopicPartition("health", 0);
        var good = ReadingBinaryCodec.Encode(new Reading("ox-1", ReadingKinds.SpO2, EngineDriver.T0, [new("spo2", 97, "%")]));
        Assert.True(d.Engine.Process(tp, 0, good, EngineDriver.T0.ToUnixTimeMilliseconds(), output));
        string before = d.Engine.Snapshot().ToJsonString();
        // The sensor's layout is known now: a NaN in its value is the only thing wrong with this one.
        var nan = (byte[])good.Clone();
        BinaryPrimitives.WriteDoubleLittleEndian(nan.AsSpan(nan.Length - 8), double.NaN);
        var upper = (byte[])good.Clone();
        upper[Array.LastIndexOf(upper, (byte)'s')] = (byte)'S'; // the value "Spo2": not a value name
        foreach (var bad in new[] { nan, upper, good[..^1], [.. good, 0], [], [0x52] })
        {
            Assert.Throws<ReadingFormatException>(() => ReadingBinaryCodec.Decode(bad));
            Assert.False(d.Engine.Process(tp, 1, bad, EngineDriver.T0.ToUnixTimeMilliseconds(), output));
        }
        Assert.Empty(output);
        Assert.Equal(before, d.Engine.Snapshot().ToJsonString());
    }
}
