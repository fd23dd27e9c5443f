using System.Buffers;
using System.Text.Json;
using Edge.Log;
using Edge.Readings;

namespace Edge.Uplink.Payload;

/// <summary>
/// Turns a run of log records of one partition into MQTT messages in offset order. A record that does not decode as
/// a reading is not forwarded as garbage: the encoder stops before it and the forwarder parks it in the dead-letter
/// topic. Batches never span a gap in offsets (compaction), so a key's range is exactly its readings.
/// </summary>
public abstract class PayloadEncoder(string gateway, TopicTemplate topics)
{
    protected string Gateway { get; } = gateway;

    /// <summary>The expanded MQTT topic per log topic, partition and sensor, cached: every message needs one.</summary>
    private protected SensorTopics Topics { get; } = new(topics);

    public static PayloadEncoder Create(UplinkOptions options, string gateway)
    {
        var topics = new TopicTemplate(options.TopicTemplate, gateway);
        return options.Format switch
        {
            PayloadFormat.JsonBatch => new JsonBatchEncoder(gateway, topics, options.BatchMaxReadings, options.BatchMaxBytes),
            PayloadFormat.BinaryBatch => new BinaryBatchEncoder(gateway, topics, options.BatchMaxReadings, options.BatchMaxBytes),
            PayloadFormat.RecordsBatch => new RecordsBatchEncoder(gateway, topics, options.BatchMaxReadings, options.BatchMaxBytes),
            _ => new JsonReadingEncoder(gateway, topics),
        };
    }

    /// <summary>
    /// Encodes the next message from <paramref name="records"/>[<paramref name="index"/>], at most
    /// <paramref name="maxReadings"/> readings (the forwarder lowers it to split a batch the broker found too large), and
    /// moves <paramref name="index"/> past its records. Returns null, leaving <paramref name="index"/> alone, when the
    /// record at <paramref name="index"/> does not decode. One message at a time, so the forwarder publishes the first
    /// message of a read while the rest are still to be encoded. Not thread-safe: one encoder per forwarder.
    /// </summary>
    public abstract OutgoingMessage? EncodeNext(string topic, IReadOnlyList<LogRecord> records, ref int index, int maxReadings);

    /// <summary>
    /// Encodes records from the start of <paramref name="records"/> with <see cref="EncodeNext"/>. Returns the messages
    /// and, if a record did not decode, stops before it and returns it in <paramref name="undecodable"/>.
    /// </summary>
    public IReadOnlyList<OutgoingMessage> Encode(string topic, IReadOnlyList<LogRecord> records, int maxReadings, out LogRecord? undecodable)
    {
        undecodable = null;
        var messages = new List<OutgoingMessage>();
        for (int i = 0; i < records.Count;)
        {
            if (EncodeNext(topic, records, ref i, maxReadings) is not { } m)
            {
                undecodable = records[i];
                break;
            }
            messages.Add(m);
        }
        return messages;
    }

    protected static bool TryDecode(LogRecord record, out Reading reading)
    {
        reading = null!;
        if (record.Value is not { } value) return false;
        try
        {
            reading = ReadingBinaryCodec.Decode(value.Span);
            return true;
        }
        catch (ReadingFormatException)
        {
            return false;
        }
    }

    /// <summary>The encoder's JSON writer, reset onto <paramref name="output"/> (created on first use): kept between messages.</summary>
    protected static Utf8JsonWriter ReuseWriter(ref Utf8JsonWriter? writer, IBufferWriter<byte> output)
    {
        if (writer is null) return writer = new Utf8JsonWriter(output);
        writer.Reset(output);
        return writer;
    }

    protected IdempotencyKey Key(string topic, int partition, long first, long last) => new(Gateway, topic, partition, first, last);
}
