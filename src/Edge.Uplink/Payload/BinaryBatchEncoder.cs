using Edge.Log;
using Edge.Readings;

namespace Edge.Uplink.Payload;

/// <summary>Consecutive readings of one partition as one <see cref="BinaryBatchCodec"/> message on the "batch" topic.</summary>
public sealed class BinaryBatchEncoder(string gateway, TopicTemplate topics, int maxReadings, int maxBytes) : PayloadEncoder(gateway, topics)
{
    private readonly List<Reading> _batch = [];

    public override OutgoingMessage? EncodeNext(string topic, IReadOnlyList<LogRecord> records, ref int index, int limit)
    {
        _batch.Clear();
        int start = index, bytes = 0;
        for (int i = start; i < records.Count; i++)
        {
            var record = records[i];
            if (!TryDecode(record, out var reading)) break;
            int size = record.Value!.Value.Length; // uncompressed bound: the batch shrinks several-fold
            if (_batch.Count > 0 && (record.Offset != records[i - 1].Offset + 1 || _batch.Count >= Math.Min(limit, maxReadings) || bytes + size > maxBytes)) break;
            _batch.Add(reading);
            bytes += size;
        }
        if (_batch.Count == 0) return null;
        index = start + _batch.Count;
        var key = Key(topic, records[start].Partition, records[start].Offset, records[start].Offset + _batch.Count - 1);
        return new OutgoingMessage(Topics.For(topic, records[start].Partition, "batch"), BinaryBatchCodec.Encode(key, _batch), key, _batch.Count, "application/vnd.edge.batch");
    }
}
