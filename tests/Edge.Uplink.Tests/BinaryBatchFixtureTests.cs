using System.IO.Compression;
using Edge.Readings;
using Edge.Uplink.Payload;
using Edge.Uplink.Tests.TestKit;

namespace Edge.Uplink.Tests;

/// <summary>
/// The "EB" version 1 batch (UPLINK.md §3.3) pinned by bytes and by a decoder written from the document: the round
/// trips in <see cref="BinaryBatchCodecTests"/> use our encoder and our decoder, which could change together and still
/// agree while every cloud decoder in the field broke. See Fixtures/README.md for how the fixture was made.
/// </summary>
public class BinaryBatchFixtureTests
{
    private const string FixtureName = "binary-batch-v1.hex";

    private static readonly IdempotencyKey Key = new("edge-dev", "traffic", 2, 100, 104);

    /// <summary>The fixture's readings: two sensors interleaved (per-sensor deltas), a timestamp going back, a sequence gap, every quality, −0, a subnormal.</summary>
    internal static readonly Reading[] Readings =
    [
        new("loop-lane1", ReadingKinds.TrafficOccupancy, new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero).AddTicks(100_000), [new("count", 3, "{vehicle}"), new("occupancy", 14.2, "%")], ReadingQuality.Ok, 17),
        new("mag-lane1", ReadingKinds.TrafficVehicle, new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero).AddTicks(99_999), [new("speed", 47.5, "km/h")], ReadingQuality.Simulated, 5),
        new("loop-lane1", ReadingKinds.TrafficOccupancy, new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero).AddTicks(200_001), [new("count", 4, "{vehicle}"), new("occupancy", -0.0, "%")], ReadingQuality.Degraded, 18),
        new("mag-lane1", ReadingKinds.TrafficVehicle, new DateTimeOffset(2026, 11, 25, 8, 0, 1, TimeSpan.Zero), [new("speed", double.Epsilon, "km/h")], ReadingQuality.Simulated, 9),
        new("loop-lane1", ReadingKinds.TrafficOccupancy, new DateTimeOffset(2026, 11, 25, 8, 0, 1, TimeSpan.Zero), [], ReadingQuality.Ok, 19),
    ];

    [Fact]
    public void A_decoder_written_from_the_spec_reads_the_fixture_as_the_documented_readings()
    {
        var batch = SpecBatchDecoder.Decode(Fixture.ReadHex(FixtureName));
        AssertSpecDecoded(Key, Readings, batch);
    }

    [Fact]
    public void Our_decoder_reads_the_fixture_as_the_documented_readings()
    {
        var (key, readings) = BinaryBatchCodec.Decode(Fixture.ReadHex(FixtureName));
        Assert.Equal(Key, key);
        for (int i = 0; i < Readings.Length; i++) Content.AssertSame(Readings[i], readings[i], $"reading {i}");
        Assert.Equal(Readings.Length, readings.Count);
    }

    [Fact]
    public void Our_encoder_writes_the_fixture_bytes_before_compression()
    {
        // Brotli's output may differ between library versions for the same input; the header and the decompressed
        // columns are the format.
        byte[] fixture = Fixture.ReadHex(FixtureName), encoded = BinaryBatchCodec.Encode(Key, Readings);
        Assert.True(fixture.AsSpan(0, 4).SequenceEqual(encoded.AsSpan(0, 4)), $"header {Convert.ToHexString(encoded, 0, 4)}, fixture {Convert.ToHexString(fixture, 0, 4)}");
        byte[] expected = Decompress(fixture), actual = Decompress(encoded);
        Assert.True(expected.AsSpan().SequenceEqual(actual),
            $"the encoder's columns changed (a format version change: see Fixtures/README.md).\nfixture:\n{Fixture.ToHex(expected)}\nencoder:\n{Fixture.ToHex(actual)}\nwhole message:\n{Fixture.ToHex(encoded)}");
    }

    [Fact]
    public void The_spec_decoder_reads_whatever_our_encoder_writes()
    {
        var random = new Random(33);
        string[] sensors = ["a", "b-1", "c.2", "d_3"];
        for (int batch = 0; batch < 200; batch++)
        {
            int count = random.Next(1, 300);
            long seq = random.Next(1000);
            var readings = Enumerable.Range(0, count).Select(i => new Reading(sensors[random.Next(sensors.Length)], random.Next(3) == 0 ? ReadingKinds.HeartRate : ReadingKinds.TrafficVehicle,
                new DateTimeOffset(random.NextInt64(DateTimeOffset.UnixEpoch.UtcTicks, DateTimeOffset.UnixEpoch.UtcTicks + (long)4e15), TimeSpan.Zero),
                [.. Enumerable.Range(0, random.Next(0, 4)).Select(v => new ReadingValue($"v{v}", random.Next(3) switch
                {
                    0 => random.Next(100),
                    1 => random.NextDouble() * 1e9 - 5e8,
                    _ => BitConverter.Int64BitsToDouble(random.NextInt64() & 0x7FEF_FFFF_FFFF_FFFF) * (random.Next(2) == 0 ? 1 : -1),
                }, random.Next(2) == 0 ? "u" : "%"))],
                (ReadingQuality)random.Next(3), seq = Math.Max(0, seq + random.Next(-5, 20)))).ToArray();
            var key = new IdempotencyKey("gw", random.Next(2) == 0 ? "traffic" : "health", random.Next(8), random.NextInt64(0, 1L << 40), 0);
            key = key with { Last = key.First + count - 1 };
            AssertSpecDecoded(key, readings, SpecBatchDecoder.Decode(BinaryBatchCodec.Encode(key, readings)));
        }
    }

    private static void AssertSpecDecoded(IdempotencyKey key, IReadOnlyList<Reading> expected, SpecBatchDecoder.Batch batch)
    {
        Assert.Equal((key.Gateway, key.Topic, (long)key.Partition, key.First, key.Last), (batch.Gateway, batch.Topic, batch.Partition, batch.First, batch.Last));
        Assert.Equal(expected.Count, batch.Rows.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var (r, row) = (expected[i], batch.Rows[i]);
            Assert.Equal((key.First + i, r.SensorId, r.Kind, r.Timestamp.UtcTicks, (int)r.Quality, r.Sequence), (row.Offset, row.Sensor, row.Kind, row.UtcTicks, row.Quality, row.Sequence));
            Assert.Equal(r.Values.Select(v => (v.Name, v.Unit, BitConverter.DoubleToInt64Bits(v.Value))), row.Values.Select(v => (v.Name, v.Unit, BitConverter.DoubleToInt64Bits(v.Number))));
        }
    }

    private static byte[] Decompress(byte[] message)
    {
        using var brotli = new BrotliStream(new MemoryStream(message, 4, message.Length - 4), CompressionMode.Decompress);
        using var body = new MemoryStream();
        brotli.CopyTo(body);
        return body.ToArray();
    }
}
