using Edge.Readings;
using Edge.Uplink.Payload;

namespace Edge.Uplink.Tests;

/// <summary>The compressed columnar batch (UPLINK.md §3.3): what the cloud decodes is exactly what was stored.</summary>
public class BinaryBatchCodecTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_sensor_id_reporting_two_kinds_interleaved_round_trips_exactly()
    {
        // An oximeter reports heart rate and SpO2 under one id and one sequence counter, interleaved with another sensor.
        var readings = new List<Reading>();
        for (int i = 0; i < 200; i++)
        {
            var at = T0.AddMilliseconds(20 * i);
            readings.Add(i % 2 == 0
                ? new Reading("spo2-bed1", ReadingKinds.HeartRate, at, [new ReadingValue("bpm", 60 + i % 7, "1/min")], ReadingQuality.Ok, i)
                : new Reading("spo2-bed1", ReadingKinds.SpO2, at, [new ReadingValue("spo2", 97.5 - i % 3, "%")], ReadingQuality.Degraded, i));
            if (i % 5 == 0)
                readings.Add(new Reading("temp-bed1", ReadingKinds.BodyTemperature, at, [new ReadingValue("celsius", 36.6 + i * 0.01, "Cel"), new ReadingValue("ambient", -3.25, "Cel")], ReadingQuality.Simulated, 1000 - i));
        }
        var key = new IdempotencyKey("gw", "health", 1, 500, 500 + readings.Count - 1);

        var (decodedKey, decoded) = BinaryBatchCodec.Decode(BinaryBatchCodec.Encode(key, readings));

        Assert.Equal(key, decodedKey);
        Assert.Equal(readings.Count, decoded.Count);
        for (int i = 0; i < readings.Count; i++)
        {
            Assert.Equal(readings[i].SensorId, decoded[i].SensorId);
            Assert.Equal(readings[i].Kind, decoded[i].Kind);
            Assert.Equal(readings[i].Timestamp, decoded[i].Timestamp);
            Assert.Equal(readings[i].Quality, decoded[i].Quality);
            Assert.Equal(readings[i].Sequence, decoded[i].Sequence);
            Assert.Equal(readings[i].Values, decoded[i].Values); // exact doubles: the XOR deltas are lossless
        }
    }

    [Fact]
    public void A_batch_of_many_sensors_each_with_its_own_value_names_round_trips()
    {
        // Ingested readings may bring a new sensor and new value names in every reading (300 × 600 delta cells).
        var readings = Enumerable.Range(0, 300).Select(i => new Reading($"node-{i}", ReadingKinds.Environment, T0.AddSeconds(i),
            [new ReadingValue($"a{i}", i * 1.5, "1"), new ReadingValue($"b{i}", -i, "1")], ReadingQuality.Ok, i)).ToList();
        var key = new IdempotencyKey("gw", "environment", 0, 0, 299);
        var (_, decoded) = BinaryBatchCodec.Decode(BinaryBatchCodec.Encode(key, readings));
        Assert.Equal(readings.Select(r => (r.SensorId, r.Sequence, r.Values[0], r.Values[1])), decoded.Select(r => (r.SensorId, r.Sequence, r.Values[0], r.Values[1])));
    }

    [Theory]
    [InlineData(0, "not a binary batch")]
    [InlineData(2, "version 9")]
    [InlineData(3, "compression 7")]
    public void A_damaged_header_is_refused_with_what_is_wrong(int index, string message)
    {
        var readings = new[] { new Reading("mag-1", ReadingKinds.TrafficVehicle, T0, [new ReadingValue("count", 1, "{vehicle}")], ReadingQuality.Ok, 1) };
        byte[] payload = BinaryBatchCodec.Encode(new IdempotencyKey("gw", "traffic", 0, 0, 0), readings);
        payload[index] = index switch { 0 => (byte)'X', 2 => 9, _ => 7 };
        var e = Assert.Throws<ReadingFormatException>(() => BinaryBatchCodec.Decode(payload));
        Assert.Contains(message, e.Message);
    }
}
