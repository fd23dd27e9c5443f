using System.Buffers;
using System.Text.Json;
using Edge.Log;
using Edge.Readings;

namespace Edge.Uplink.Payload;

/// <summary>
/// Consecutive readings of one partition as one message on the "{sensor}" = "batch" topic (UPLINK.md §3.2):
/// <c>{"key":...,"first":100,"last":599,"count":500,"readings":[{...},...]}</c>; reading i has offset first + i.
/// Readings are written as they are decoded, into a buffer and writer kept between messages.
/// </summary>
public sealed class JsonBatchEncoder(string gateway, TopicTemplate topics, int maxReadings, int maxBytes) : PayloadEncoder(gateway, topics)
{
    private static readonly JsonEncodedText Count = JsonEncodedText.Encode("count"), ReadingsName = JsonEncodedText.Encode("readings");

    private readonly ArrayBufferWriter<byte> _body = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _message = new(64 * 1024);
    private Utf8JsonWriter? _readings, _envelope;

    public override OutgoingMessage? EncodeNext(string topic, IReadOnlyList<LogRecord> records, ref int index, int limit)
    {
        // The readings array is written first (its count is known only at the end), then the envelope around it.
        _body.ResetWrittenCount();
        // The writer is the encoder's field, reused for every message (PayloadEncoder.ReuseWriter); over an
        // ArrayBufferWriter it holds nothing Dispose would release.
#pragma warning disable CA2000
        var w = ReuseWriter(ref _readings, _body);
#pragma warning restore CA2000
        w.WriteStartArray();
        int start = index, count = 0, bytes = 0;
        for (int i = start; i < records.Count; i++)
        {
            var record = records[i];
            if (!TryDecode(record, out var reading)) break;
            int size = 120 + record.Value!.Value.Length * 3; // a JSON reading is ~3x its binary form
            if (count > 0 && (record.Offset != records[i - 1].Offset + 1 || count >= Math.Min(limit, maxReadings) || bytes + size > maxBytes)) break;
            ReadingJsonCodec.Write(w, reading);
            count++;
            bytes += size;
        }
        if (count == 0) return null;
        w.WriteEndArray();
        w.Flush();
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
        e.WritePropertyName(ReadingsName);
        e.Flush();
        // The readings array, copied in as it was written; the writer's state is dropped (it expects that value).
        _message.Write(_body.WrittenSpan);
        _message.Write("}"u8);
        return new OutgoingMessage(Topics.For(topic, records[start].Partition, "batch"), _message.WrittenSpan.ToArray(), key, count, "application/json");
    }
}
