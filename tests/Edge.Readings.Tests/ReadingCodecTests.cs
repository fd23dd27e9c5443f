namespace Edge.Readings.Tests;

public class ReadingCodecTests
{
    private static readonly string[] Units = ["bpm", "%", "Cel", "km/h", "mm", "{vehicle}", ""];

    private static Reading RandomReading(Random random)
    {
        var values = Enumerable.Range(0, random.Next(0, 6)).Select(i => new ReadingValue(
            $"v{i}_{random.Next(100)}",
            random.Next(4) switch { 0 => random.NextDouble() * 1e6 - 5e5, 1 => BitConverter.Int64BitsToDouble(random.NextInt64() & 0x7FEF_FFFF_FFFF_FFFF), 2 => -0.0, _ => random.Next(200) },
            Units[random.Next(Units.Length)])).ToList();
        return new Reading($"sensor-{random.Next(1000)}.A_b", random.Next(2) == 0 ? ReadingKinds.HeartRate : "traffic.vehicle",
            new DateTimeOffset(random.NextInt64(DateTimeOffset.UnixEpoch.UtcTicks, new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks), TimeSpan.Zero),
            values, (ReadingQuality)random.Next(3), random.NextInt64(0, long.MaxValue));
    }

    [Fact]
    public void Binary_and_json_forms_round_trip_exactly()
    {
        var random = new Random(11);
        for (int i = 0; i < 2000; i++)
        {
            var r = RandomReading(random);
            var bytes = ReadingBinaryCodec.Encode(r);
            Assert.Equal(ReadingBinaryCodec.SizeOf(r), bytes.Length);
            var fromBinary = ReadingBinaryCodec.Decode(bytes);
            Assert.Equal(r, fromBinary);
            Assert.Equal(bytes, ReadingBinaryCodec.Encode(fromBinary));
            var json = ReadingJsonCodec.Encode(r);
            var fromJson = ReadingJsonCodec.Decode(json);
            Assert.Equal(r, fromJson);
            Assert.Equal(r.Values.Select(v => BitConverter.DoubleToInt64Bits(v.Value)), fromJson.Values.Select(v => BitConverter.DoubleToInt64Bits(v.Value)));
            Assert.Equal(json, ReadingJsonCodec.Encode(fromJson));
        }
    }

    [Fact]
    public void The_json_form_is_the_documented_one()
    {
        var r = new Reading("hr-bed1", ReadingKinds.HeartRate, new DateTimeOffset(2026, 11, 25, 4, 40, 0, 123, TimeSpan.Zero),
            [new ReadingValue("bpm", 68, "bpm")], ReadingQuality.Simulated, 42);
        Assert.Equal("""{"sensor":"hr-bed1","kind":"health.heart_rate","ts":"2026-11-25T04:40:00.1230000Z","seq":42,"quality":"simulated","values":[{"name":"bpm","value":68,"unit":"bpm"}]}""",
            ReadingJsonCodec.Encode(r));
        Assert.True(ReadingBinaryCodec.Encode(r).Length < 60, "the binary form is compact");
    }

    [Fact]
    public void Every_truncation_and_random_byte_string_is_refused_with_a_format_error_only()
    {
        var random = new Random(5);
        var bytes = ReadingBinaryCodec.Encode(RandomReading(random) with { });
        for (int n = 0; n < bytes.Length; n++)
        {
            var e = Assert.Throws<ReadingFormatException>(() => ReadingBinaryCodec.Decode(bytes.AsSpan(0, n)));
            Assert.Contains("byte", e.Message);
        }
        Assert.Contains("bytes after the reading", Assert.Throws<ReadingFormatException>(() => ReadingBinaryCodec.Decode([.. bytes, 0])).Message);
        for (int i = 0; i < 20_000; i++)
        {
            var junk = new byte[random.Next(0, 80)];
            random.NextBytes(junk);
            if (junk.Length > 1 && random.Next(2) == 0) { junk[0] = ReadingBinaryCodec.Magic; junk[1] = ReadingBinaryCodec.Version; }
            try { ReadingBinaryCodec.Decode(junk); }
            catch (ReadingFormatException) { }
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x00 }, "magic at byte 0")]
    [InlineData(new byte[] { 0x52, 9 }, "version at byte 1: 9 is not supported")]
    [InlineData(new byte[] { 0x52, 1, 7 }, "quality at byte 2")]
    public void Binary_errors_name_the_field_and_byte(byte[] input, string expected) =>
        Assert.Contains(expected, Assert.Throws<ReadingFormatException>(() => ReadingBinaryCodec.Decode(input)).Message);

    [Theory]
    [InlineData("[]", "JSON object")]
    [InlineData("{", "not JSON")]
    [InlineData("""{"sensor":"a","kind":"k","ts":"2026-01-01T00:00:00Z","seq":1,"quality":"ok"}""", "values: missing")]
    [InlineData("""{"sensor":"a","kind":"k","ts":"yesterday","seq":1,"quality":"ok","values":[]}""", "ts: 'yesterday'")]
    [InlineData("""{"sensor":"a","kind":"k","ts":"2026-01-01T00:00:00Z","seq":1.5,"quality":"ok","values":[]}""", "seq: must be a whole number")]
    [InlineData("""{"sensor":"a","kind":"k","ts":"2026-01-01T00:00:00Z","seq":1,"quality":"OK","values":[]}""", "quality: 'OK'")]
    [InlineData("""{"sensor":"a","kind":"k","ts":"2026-01-01T00:00:00Z","seq":1,"quality":"ok","values":[],"extra":1}""", "extra: unknown field")]
    [InlineData("""{"sensor":"a b","kind":"k","ts":"2026-01-01T00:00:00Z","seq":1,"quality":"ok","values":[]}""", "sensorId: 'a b'")]
    [InlineData("""{"sensor":"a","kind":"k","ts":"2026-01-01T00:00:00Z","seq":1,"quality":"ok","values":[{"name":"x","value":"7","unit":""}]}""", "values[0].value: must be a number")]
    [InlineData("""{"sensor":"a","kind":"k","ts":"2026-01-01T00:00:00Z","seq":1,"quality":"ok","values":[{"name":"x","value":1,"unit":""},{"name":"x","value":2,"unit":""}]}""", "values[1].name: 'x' appears twice")]
    [InlineData("""{"sensor":"a","kind":"k","ts":"2026-01-01T00:00:00Z","seq":-1,"quality":"ok","values":[]}""", "seq: -1 is negative")]
    public void Json_errors_name_the_field(string json, string expected) =>
        Assert.Contains(expected, Assert.Throws<ReadingFormatException>(() => ReadingJsonCodec.Decode(json)).Message);

    [Fact]
    public void Invented_values_are_refused_at_construction()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Contains("not a finite number", Assert.Throws<ReadingFormatException>(() => new Reading("s", "k", now, [new ReadingValue("x", double.NaN, "")])).Message);
        Assert.Contains("at most 32", Assert.Throws<ReadingFormatException>(() => new Reading("s", "k", now, Enumerable.Range(0, 33).Select(i => new ReadingValue($"v{i}", i, "")).ToList())).Message);
        Assert.Contains("kind", Assert.Throws<ReadingFormatException>(() => new Reading("s", "Health", now, [])).Message);
        Assert.Equal(new DateTimeOffset(now.UtcTicks, TimeSpan.Zero), new Reading("s", "k", now.ToOffset(TimeSpan.FromHours(2)), []).Timestamp);
        Assert.Equal(68, new Reading("s", "k", now, [new ReadingValue("bpm", 68, "bpm")])["bpm"]!.Value.Value);
        Assert.Null(new Reading("s", "k", now, [])["bpm"]);
    }
}
