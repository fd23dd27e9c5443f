using System.Buffers;
using System.Text.Json;
using Edge.Log;
using Edge.Readings;

namespace Edge.Uplink.Payload;

/// <summary>
/// Consecutive readings of one partition as one message on the "{sensor}" = "batch" topic (UPLINK.md §3.2):
/// <c>{"key":...,"first":100,"last":599,"count":500,"readings":[{...},...]}</c>; reading i has offset first + i.
/// Readings are written straight from their stored bytes (no <see cref="Reading"/> is built: that was most of the
/// cost), into a buffer and writer kept between messages.
/// </summary>
public sealed class JsonBatchEncoder(string gateway, TopicTemplate topics, int maxReadings, int maxBytes) : PayloadEncoder(gateway, topics)
{
    private static readonly JsonEncodedText Count = JsonEncodedText.Encode("count"), ReadingsName = JsonEncodedText.Encode("readings");

    private readonly ArrayBufferWriter<byte> _body = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _message = new(64 * 1024);
    private Utf8JsonWriter? _envelope;

    public override OutgoingMessage? EncodeNext(string topic, IReadOnlyList<LogRecord> records, ref int index, int limit)
    {
        // The readings array is written first, as raw UTF-8 (its count is known only at the end), then the envelope around it.
        _body.ResetWrittenCount();
        _body.Write("["u8);
        int start = index, count = 0, bytes = 0;
        for (int i = start; i < records.Count; i++)
        {
            var record = records[i];
            if (record.Value is not { } value || !StoredReading.IsValid(value.Span)) break;
            int size = 120 + value.Length * 3; // a JSON reading is ~3x its binary form
            if (count > 0 && (record.Offset != records[i - 1].Offset + 1 || count >= Math.Min(limit, maxReadings) || bytes + size > maxBytes)) break;
            if (count > 0) _body.Write(","u8);
            StoredReading.AppendJson(_body, value.Span);
            count++;
            bytes += size;
        }
        if (count == 0) return null;
        _body.Write("]"u8);
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
