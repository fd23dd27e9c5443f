using System.Text.Json;
using Edge.Log;
using Edge.Readings;

namespace Edge.Uplink.Payload;

/// <summary>
/// One reading per message on its sensor's topic (UPLINK.md §3.1):
/// <c>{"key":"gw/traffic/2/17-17","gateway":"gw","topic":"traffic","partition":2,"first":17,"last":17,"reading":{...}}</c>.
/// </summary>
public sealed class JsonReadingEncoder(string gateway, TopicTemplate topics) : PayloadEncoder(gateway, topics)
{
    public override IReadOnlyList<OutgoingMessage> Encode(string topic, IReadOnlyList<LogRecord> records, int maxReadings, out LogRecord? undecodable)
    {
        undecodable = null;
        var messages = new List<OutgoingMessage>(records.Count);
        foreach (var record in records)
        {
            if (!TryDecode(record, out var reading))
            {
                undecodable = record;
                break;
            }
            var key = Key(topic, record.Partition, record.Offset, record.Offset);
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                Envelope.WriteKey(w, key);
                w.WritePropertyName("reading");
                ReadingJsonCodec.Write(w, reading);
                w.WriteEndObject();
            }
            messages.Add(new OutgoingMessage(Topics.Expand(topic, record.Partition, reading.SensorId), buffer.WrittenSpan.ToArray(), key, 1, "application/json"));
        }
        return messages;
    }
}
