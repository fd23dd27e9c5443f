using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Edge.Readings;

namespace Edge.Streams.Engine;

/// <summary>
/// Fills a <see cref="ReadingView"/> straight from a reading's stored bytes (READINGS.md §1), accepting exactly what
/// <see cref="ReadingBinaryCodec.Decode"/> accepts: the rules read every record of their topics, and a
/// <see cref="Reading"/>, its values array and its strings per record were a third of their CPU and most of their
/// garbage (tests/Edge.Benchmarks/BENCHMARKS.md "stream-rules"). The fixed head (magic, version, quality, sequence,
/// time) is checked field by field; the sensor id is found in the <see cref="SensorTable"/>; the rest is compared with
/// the sensor's last <see cref="ReadingShape"/>. A record that differs from both — a new sensor, a new layout, or a bad
/// record — goes through <see cref="StoredReading.IsValid"/> and, if valid, becomes the sensor's shape.
/// Not thread-safe (the engine's one thread).
/// </summary>
internal sealed class StoredReadingParser(SensorTable sensors)
{
    /// <summary>Fills <paramref name="view"/> from <paramref name="data"/>; false (view undefined) when it is not exactly one valid reading.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryParse(ReadOnlySpan<byte> data, ReadingView view)
    {
        // The same checks as StoredReading.IsValid up to the sensor id (one owner: StoredReading.TryReadHead).
        if (!StoredReading.TryReadHead(data, out long ticks, out int p)) return false;
        if (p >= data.Length) return false;
        int idLength = data[p];
        if (data.Length - p - 1 < idLength) return false;
        var id = data.Slice(p + 1, idLength);
        var tail = data[(p + 1 + idLength)..];
        var sensor = sensors.Find(id);
        var shape = sensor?.Shape;
        if (sensor is null || shape is null || !shape.Matches(tail))
        {
            if (!StoredReading.IsValid(data)) return false;
            sensor ??= sensors.Get(Encoding.ASCII.GetString(id));
            sensor.Shape = shape = ReadingShape.Of(tail, sensors.Intern);
        }
        view.Set(sensor.Id, sensor.Index, shape.Kind, new DateTimeOffset(ticks, TimeSpan.Zero).ToUnixTimeMilliseconds());
        var at = shape.ValueAt;
        for (int i = 0; i < at.Length; i++)
        {
            double value = ReadingShape.Value(tail, at[i]);
            if (!double.IsFinite(value)) return false; // the one thing a matching layout leaves to check
            view.Add(new ReadingValue(shape.Names[i], value, shape.Units[i]));
        }
        return true;
    }
}
