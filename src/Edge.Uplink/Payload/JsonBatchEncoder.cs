using System.Text.Json;
using Edge.Log;
using Edge.Readings;

namespace Edge.Uplink.Payload;

/// <summary>
/// Consecutive readings of one partition as one message on the "{sensor}" = "batch" topic (UPLINK.md §3.2):
/// <c>{"key":...,"first":100,"last":599,"count":500,"readings":[{...},...]}</c>; reading i has offset first + i.
/// </summary>
public sealed class JsonBatchEncoder(string gateway, TopicTemplate topics, int maxReadings, int maxBytes) : PayloadEncoder(gateway, topics)
{
    public override IReadOnlyList<OutgoingMessage> Encode(string topic, IReadOnlyList<LogRecord> records, int limit, out LogRecord? undecodable)
    {
        undecodable = null;
        var messages = new List<OutgoingMessage>();
        var batch = new List<(long Offset, Reading Reading)>();
        int bytes = 0;
        foreach (var record in records)
        {
            if (!TryDecode(record, out var reading))
            {
                undecodable = record;
                break;
            }
            int size = 120 + record.Value!.Value.Length * 3; // a JSON reading is ~3x its binary form
            bool gap = batch.Count > 0 && record.Offset != batch[^1].Offset + 1;
            if (batch.Count > 0 && (gap || batch.Count >= Math.Min(limit, maxReadings) || bytes + size > maxBytes))
            {
                messages.Add(Build(topic, record.Partition, batch));
                batch.Clear();
                bytes = 0;
            }
            batch.Add((record.Offset, reading));
            bytes += size;
        }
        if (batch.Count > 0) messages.Add(Build(topic, records[0].Partition, batch));
        return messages;
    }

    private OutgoingMessage Build(string topic, int partition, List<(long Offset, Reading Reading)> batch)
    {
        var key = Key(topic, partition, batch[0].Offset, batch[^1].Offset);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256 * batch.Count);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            Envelope.WriteKey(w, key);
            w.WriteNumber("count", batch.Count);
            w.WriteStartArray("readings");
            foreach (var (_, r) in batch) ReadingJsonCodec.Write(w, r);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return new OutgoingMessage(Topics.Expand(topic, partition, "batch"), buffer.WrittenSpan.ToArray(), key, batch.Count, "application/json");
    }
}
