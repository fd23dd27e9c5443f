using Edge.Log;
using Edge.Readings;
using Edge.Uplink.Payload;

namespace Edge.Uplink.Tests;

/// <summary>
/// The uplink builds "EB" batches from the stored bytes without decoding them (StoredColumns); the message must be
/// exactly what the codec writes for the decoded readings, whose columns the fixture and the spec decoder pin.
/// </summary>
public class BinaryBatchEncoderTests
{
    [Theory]
    [InlineData(1, 4, 3)]
    [InlineData(2, 40, 6)]
    [InlineData(3, 400, 300)] // ingested readings: hundreds of sensors and value names, the sparse delta table
    public void A_batch_built_from_stored_bytes_equals_the_codecs_batch_of_the_decoded_readings(int seed, int sensorCount, int nameCount)
    {
        var random = new Random(seed);
        string[] kinds = [ReadingKinds.TrafficOccupancy, ReadingKinds.HeartRate, ReadingKinds.SpO2, "environment.x_1"];
        string[] units = ["%", "{vehicle}", "km/h", "Cel", "/min", "~!|"];
        var t0 = new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero).UtcTicks;
        var readings = Enumerable.Range(0, 1500).Select(i =>
        {
            int s = random.Next(sensorCount);
            var names = Enumerable.Range(0, random.Next(0, 5)).Select(_ => random.Next(nameCount)).Distinct();
            return new Reading($"S-{s}.x_{s % 7}", kinds[s % kinds.Length], new DateTimeOffset(t0 + random.NextInt64(-1_000_000, 100_000_000), TimeSpan.Zero),
                [.. names.Select(n => new ReadingValue($"v{n}", random.Next(4) switch
                {
                    0 => random.Next(100),
                    1 => Math.Round(random.NextDouble() * 100, 1),
                    2 => -0.0,
                    _ => BitConverter.Int64BitsToDouble(random.NextInt64() & 0x7FEF_FFFF_FFFF_FFFF) * (random.Next(2) == 0 ? 1 : -1),
                }, units[n % units.Length]))],
                (ReadingQuality)random.Next(3), random.NextInt64(0, 1L << 40));
        }).ToArray();
        const long first = 1_000_000;
        var records = readings.Select((r, i) => new LogRecord(2, first + i, r.Timestamp.ToUnixTimeMilliseconds(), System.Text.Encoding.UTF8.GetBytes(r.SensorId), ReadingBinaryCodec.Encode(r), [])).ToList();
        var encoder = new BinaryBatchEncoder("edge-dev", new TopicTemplate("edge/{gateway}/{topic}/{sensor}", "edge-dev"), 500, 1 << 20);

        int index = 0, messages = 0;
        while (index < records.Count)
        {
            int start = index;
            var message = encoder.EncodeNext("traffic", records, ref index, int.MaxValue);
            Assert.NotNull(message);
            var key = new IdempotencyKey("edge-dev", "traffic", 2, first + start, first + index - 1);
            Assert.Equal(key, message.Key);
            byte[] expected = BinaryBatchCodec.Encode(key, readings[start..index]);
            Assert.True(expected.AsSpan().SequenceEqual(message.Payload), $"message {messages} (offsets {key.First}-{key.Last}) differs from the codec's");
            messages++;
        }
        Assert.Equal(3, messages); // 500 readings each: the encoder kept the columns of earlier messages out of later ones
    }

    [Fact]
    public void Readings_that_do_not_compress_still_make_messages_within_BatchMaxBytes_and_every_reading_is_sent_once()
    {
        // Noise in every value: Brotli cannot shrink the 8-byte value columns, so the encoder's estimate (a quarter of
        // the stored reading) admits more readings than fit; the sealed message must still respect the bound a broker's
        // packet limit may set (UPLINK.md §2), by halving the batch.
        var random = new Random(7);
        var t0 = new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);
        var readings = Enumerable.Range(0, 3000).Select(i => new Reading($"noise-{i % 3}", ReadingKinds.TrafficOccupancy, t0.AddMilliseconds(i * 10),
            [.. Enumerable.Range(0, 4).Select(v => new ReadingValue($"v{v}", BitConverter.Int64BitsToDouble(random.NextInt64() & 0x7FEF_FFFF_FFFF_FFFF), "1"))],
            ReadingQuality.Ok, i)).ToArray();
        var records = readings.Select((r, i) => new LogRecord(0, i, r.Timestamp.ToUnixTimeMilliseconds(), System.Text.Encoding.UTF8.GetBytes(r.SensorId), ReadingBinaryCodec.Encode(r), [])).ToList();
        const int maxBytes = 4096;
        var encoder = new BinaryBatchEncoder("edge-dev", new TopicTemplate("edge/{gateway}/{topic}/{sensor}", "edge-dev"), 4000, maxBytes);
        int index = 0;
        var sent = new List<Reading>();
        while (index < records.Count)
        {
            var message = encoder.EncodeNext("traffic", records, ref index, int.MaxValue);
            Assert.NotNull(message);
            Assert.True(message.Payload.Length <= maxBytes, $"a {message.Payload.Length}-byte message for BatchMaxBytes {maxBytes}");
            sent.AddRange(BinaryBatchCodec.Decode(message.Payload).Readings);
        }
        Assert.Equal(readings, sent);
    }
}
