using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Edge.Log;
using Edge.Readings;

namespace Edge.Uplink.Payload;

/// <summary>
/// Consecutive readings of one partition as one message on the "{sensor}" = "batch" topic (UPLINK.md §3.2): a table
/// of the sensors' shapes (id, kind, value names and units) once per message, then one row per reading,
/// <c>[shape,"ts",seq,"quality",v1,…]</c>; reading i has offset first + i.
/// <para>
/// Why rows and a table rather than each reading's JSON object: the object repeats the sensor id, kind, field names
/// and every value's name and unit, ~360 bytes for a traffic reading against ~55 for its row, and a drain is bound by
/// bytes (copied into the message, through the socket, by the broker) long before the CPU that writes them. Rows are
/// written straight from the stored bytes (<see cref="StoredReading.AppendJsonRow"/>), no <see cref="Reading"/> is
/// built; the buffers and the writer are kept between messages.
/// </para>
/// </summary>
public sealed class JsonBatchEncoder(string gateway, TopicTemplate topics, int maxReadings, int maxBytes) : PayloadEncoder(gateway, topics)
{
    // A row's worst case: bracket, shape, time, the largest sequence number and quality, then ≤ 25 bytes per value.
    private const int RowBound = 80;
    private const int ValueBound = 25;

    private static readonly JsonEncodedText Count = JsonEncodedText.Encode("count"), Sensors = JsonEncodedText.Encode("sensors"),
        ReadingsName = JsonEncodedText.Encode("readings"), Sensor = JsonEncodedText.Encode("sensor"), Kind = JsonEncodedText.Encode("kind"),
        Values = JsonEncodedText.Encode("values"), Name = JsonEncodedText.Encode("name"), Unit = JsonEncodedText.Encode("unit");

    private readonly ArrayBufferWriter<byte> _rows = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _message = new(64 * 1024);
    private readonly ReadingShapes _shapes = new();
    private Utf8JsonWriter? _envelope;

    // Compiled optimized at once (as StoredReading's loops): a drain runs this loop millions of times within seconds.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override OutgoingMessage? EncodeNext(string topic, IReadOnlyList<LogRecord> records, ref int index, int limit)
    {
        // The rows are written first, as raw UTF-8 (the table and the count are known only at the end), then the
        // envelope and the table around them.
        _rows.ResetWrittenCount();
        _rows.Write("["u8);
        _shapes.Reset();
        int start = index, count = 0, tableBytes = 0;
        for (int i = start; i < records.Count; i++)
        {
            var record = records[i];
            if (record.Value is not { } value || !StoredReading.IsValid(value.Span)) break;
            var data = value.Span;
            if (count > 0 && (record.Offset != records[i - 1].Offset + 1 || count >= Math.Min(limit, maxReadings))) break;
            int shapes = _shapes.Count;
            int shape = _shapes.IndexOf(data);
            var shapeKey = _shapes.Key(shape);
            int table = shape == shapes ? tableBytes + ShapeBound(shapeKey) : tableBytes;
            if (count > 0 && _rows.WrittenCount + RowBound + ValueBound * shapeKey[^1] + table > maxBytes) // a shape key ends with its value count
            {
                _shapes.Forget(shapes);
                break;
            }
            tableBytes = table;
            if (count > 0) _rows.Write(","u8);
            StoredReading.AppendJsonRow(_rows, data, shape);
            count++;
        }
        if (count == 0) return null;
        _rows.Write("]"u8);
        index = start + count;
        var key = Key(topic, records[start].Partition, records[start].Offset, records[start + count - 1].Offset);
        _message.ResetWrittenCount();
        // The writer is the encoder's field, reused for every message (PayloadEncoder.ReuseWriter); over an
        // ArrayBufferWriter it holds nothing Dispose would release.
#pragma warning disable CA2000
        var e = ReuseWriter(ref _envelope, _message);
#pragma warning restore CA2000
        e.WriteStartObject();
        Envelope.WriteKey(e, key);
        e.WriteNumber(Count, count);
        e.WriteStartArray(Sensors);
        for (int s = 0; s < _shapes.Count; s++) WriteShape(e, _shapes.Key(s));
        e.WriteEndArray();
        e.WritePropertyName(ReadingsName);
        e.Flush();
        // The rows, copied in as they were written; the writer's state is dropped (it expects that value).
        _message.Write(_rows.WrittenSpan);
        _message.Write("}"u8);
        return new OutgoingMessage(Topics.For(topic, records[start].Partition, "batch"), _message.WrittenSpan.ToArray(), key, count, "application/json");
    }

    // A table entry's worst case: its strings escaped (≤ 6 bytes per byte) and the fixed text around them.
    private static int ShapeBound(ReadOnlySpan<byte> key) => 64 + 6 * key.Length + 24 * key[^1];

    /// <summary>{"sensor":id,"kind":kind,"values":[{"name":n,"unit":u},…]} from a shape key (<see cref="ReadingShapes"/>).</summary>
    private static void WriteShape(Utf8JsonWriter w, ReadOnlySpan<byte> key)
    {
        int p = 0;
        w.WriteStartObject();
        w.WriteString(Sensor, Str(key, ref p));
        w.WriteString(Kind, Str(key, ref p));
        w.WriteStartArray(Values);
        int count = key[^1];
        for (int i = 0; i < count; i++)
        {
            w.WriteStartObject();
            w.WriteString(Name, Str(key, ref p));
            w.WriteString(Unit, Str(key, ref p));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static ReadOnlySpan<byte> Str(ReadOnlySpan<byte> key, ref int p)
    {
        int len = key[p++];
        var s = key.Slice(p, len);
        p += len;
        return s;
    }
}
