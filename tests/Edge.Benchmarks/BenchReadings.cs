using Edge.Log;
using Edge.Readings;

namespace Edge.Benchmarks;

/// <summary>
/// Readings as the gateway stores them: typical traffic (loop occupancy, vehicle events) and health (pulse oximeter)
/// with the resolution real sensors report (speeds to 0.1 km/h, bpm and SpO2 in whole units), keyed by sensor id.
/// </summary>
internal static class BenchReadings
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Reading <paramref name="n"/> of sensor <paramref name="sensor"/> (of 10: 0-5 traffic, 6-9 health) at 100 Hz.</summary>
    public static Reading Make(int sensor, long n, DateTimeOffset? at = null)
    {
        var ts = at ?? Start.AddTicks(n * TimeSpan.TicksPerMillisecond * 10 + sensor * 7_000);
        if (sensor >= 6)
        {
            double bpm = 68 + (n / 40 + sensor) % 9 + Noise(sensor, n) % 3, spo2 = 97 + (n / 300) % 3 - Noise(sensor, ~n) % 2;
            return new Reading($"spo2-bed{sensor - 5}", ReadingKinds.SpO2, ts, [new("bpm", bpm, "/min"), new("spo2", spo2, "%")], ReadingQuality.Ok, n);
        }
        if (sensor % 2 == 0)
        {
            double occupancy = Math.Round(12 + 8 * Math.Sin(n / 500.0) + Noise(sensor, n) % 30 * 0.1, 1), count = Noise(sensor, ~n) % 5;
            return new Reading($"loop-lane{sensor}", ReadingKinds.TrafficOccupancy, ts, [new("count", count, "{vehicle}"), new("occupancy", occupancy, "%")], ReadingQuality.Ok, n);
        }
        double speed = Math.Round(48 + Noise(sensor, n) % 190 / 10.0, 1), dwell = 180 + Noise(sensor, ~n) % 90;
        return new Reading($"mag-lane{sensor}", ReadingKinds.TrafficVehicle, ts, [new("speed", speed, "km/h"), new("dwell", dwell, "ms")], ReadingQuality.Ok, n);
    }

    // SplitMix64: reproducible noise, so values are not periodic patterns a compressor would find too easily.
    private static long Noise(int sensor, long n)
    {
        ulong z = (ulong)(n * 31 + sensor) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (long)((z ^ (z >> 31)) >> 1);
    }

    public static LogRecord AsRecord(Reading r, int partition, long offset) =>
        new(partition, offset, r.Timestamp.ToUnixTimeMilliseconds(), System.Text.Encoding.UTF8.GetBytes(r.SensorId), ReadingBinaryCodec.Encode(r), []);

    /// <summary>Appends <paramref name="count"/> readings round-robin over 10 sensors; returns the stored value bytes.</summary>
    public static async Task<long> FillAsync(EdgeLog log, string topic, long count)
    {
        var keys = Enumerable.Range(0, 10).Select(s => System.Text.Encoding.UTF8.GetBytes(Make(s, 0).SensorId)).ToArray();
        var inFlight = new Queue<Task>();
        long bytes = 0;
        for (long n = 0; n < count;)
        {
            ValueTask<RecordPosition> last = default;
            for (int i = 0; i < 16384 && n < count; i++, n++)
            {
                int s = (int)(n % 10);
                var r = Make(s, n / 10);
                byte[] value = ReadingBinaryCodec.Encode(r);
                bytes += value.Length;
                last = log.AppendAsync(topic, new Record(keys[s], value, r.Timestamp.ToUnixTimeMilliseconds()));
            }
            inFlight.Enqueue(last.AsTask());
            if (inFlight.Count > 2) await inFlight.Dequeue();
        }
        while (inFlight.Count > 0) await inFlight.Dequeue();
        return bytes;
    }
}
