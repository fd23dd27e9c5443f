using Edge.Log;
using Edge.Readings;

namespace Edge.Uplink.Payload;

/// <summary>Consecutive readings of one partition as one <see cref="BinaryBatchCodec"/> message on the "batch" topic.</summary>
public sealed class BinaryBatchEncoder(string gateway, TopicTemplate topics, int maxReadings, int maxBytes) : PayloadEncoder(gateway, topics)
{
    public override IReadOnlyList<OutgoingMessage> Encode(string topic, IReadOnlyList<LogRecord> records, int limit, out LogRecord? undecodable)
    {
        undecodable = null;
        var messages = new List<OutgoingMessage>();
        var batch = new List<Reading>();
        long first = 0, previous = 0;
        int bytes = 0;
        foreach (var record in records)
        {
            if (!TryDecode(record, out var reading))
            {
                undecodable = record;
                break;
            }
            int size = record.Value!.Value.Length; // uncompressed bound: the batch shrinks several-fold
            if (batch.Count > 0 && (record.Offset != previous + 1 || batch.Count >= Math.Min(limit, maxReadings) || bytes + size > maxBytes))
            {
                messages.Add(Build(topic, record.Partition, first, batch));
                batch.Clear();
                bytes = 0;
            }
            if (batch.Count == 0) first = record.Offset;
            batch.Add(reading);
            previous = record.Offset;
            bytes += size;
        }
        if (batch.Count > 0) messages.Add(Build(topic, records[0].Partition, first, batch));
        return messages;
    }

    private OutgoingMessage Build(string topic, int partition, long first, List<Reading> batch)
    {
        var key = Key(topic, partition, first, first + batch.Count - 1);
        return new OutgoingMessage(Topics.Expand(topic, partition, "batch"), BinaryBatchCodec.Encode(key, batch), key, batch.Count, "application/vnd.edge.batch");
    }
}
