using System.Buffers;
using System.Text.Json;
using Edge.Log;
using Edge.Readings;

namespace Edge.Uplink.Payload;

/// <summary>
/// One reading per message on its sensor's topic (UPLINK.md §3.1):
/// <c>{"key":"gw/traffic/2/17-17","gateway":"gw","topic":"traffic","partition":2,"first":17,"last":17,"reading":{...}}</c>.
/// The writer, its buffer and each sensor's topic are kept between messages: this runs once per reading.
/// </summary>
public sealed class JsonReadingEncoder(string gateway, TopicTemplate topics) : PayloadEncoder(gateway, topics)
{
    private static readonly JsonEncodedText ReadingName = JsonEncodedText.Encode("reading");

    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private Utf8JsonWriter? _writer;

    public override OutgoingMessage? EncodeNext(string topic, IReadOnlyList<LogRecord> records, ref int index, int maxReadings)
    {
        var record = records[index];
        if (!TryDecode(record, out var reading)) return null;
        var key = Key(topic, record.Partition, record.Offset, record.Offset);
        _buffer.ResetWrittenCount();
        // The writer is the encoder's field, reused for every message (PayloadEncoder.ReuseWriter); over an
        // ArrayBufferWriter it holds nothing Dispose would release.
#pragma warning disable CA2000
        var w = ReuseWriter(ref _writer, _buffer);
#pragma warning restore CA2000
        w.WriteStartObject();
        Envelope.WriteKey(w, key);
        w.WritePropertyName(ReadingName);
        ReadingJsonCodec.Write(w, reading);
        w.WriteEndObject();
        w.Flush();
        index++;
        return new OutgoingMessage(Topics.For(topic, record.Partition, reading.SensorId), _buffer.WrittenSpan.ToArray(), key, 1, "application/json");
    }
}
