using Edge.Log;
using Edge.Readings;

namespace Edge.Uplink.Payload;

/// <summary>
/// Consecutive readings of one partition as one <see cref="BinaryBatchCodec"/> message on the "batch" topic. The
/// columns are written from the stored bytes (<see cref="StoredColumns"/>): each record is only checked
/// (<see cref="StoredReading.IsValid"/>, so a corrupt one is parked, not forwarded), never decoded into a <c>Reading</c>.
/// </summary>
public sealed class BinaryBatchEncoder(string gateway, TopicTemplate topics, int maxReadings, int maxBytes) : PayloadEncoder(gateway, topics)
{
    private readonly StoredColumns _columns = new();

    public override OutgoingMessage? EncodeNext(string topic, IReadOnlyList<LogRecord> records, ref int index, int limit)
    {
        int start = index, count = 0, bytes = 0;
        for (int i = start; i < records.Count; i++)
        {
            var record = records[i];
            if (record.Value is not { } value || !StoredReading.IsValid(value.Span)) break;
            // The estimate of what a reading adds to the message: the columns and Brotli shrink a stored reading
            // 10–25-fold (wire-bytes benchmark), so a quarter of it is ample; the sealed message is checked below.
            int size = value.Length / 4 + 1;
            if (count > 0 && (record.Offset != records[i - 1].Offset + 1 || count >= Math.Min(limit, maxReadings) || bytes + size > maxBytes)) break;
            count++;
            bytes += size;
        }
        if (count == 0) return null;
        while (true)
        {
            var key = Key(topic, records[start].Partition, records[start].Offset, records[start].Offset + count - 1);
            byte[] payload = BinaryBatchCodec.Seal(_columns.Write(key, records, start, count));
            // Readings that do not compress (noise in every value) could make the message exceed BatchMaxBytes, which
            // a broker's packet limit may not allow: halve the batch until it fits (one reading always does: ≥ 1 KiB).
            if (payload.Length > maxBytes && count > 1)
            {
                count /= 2;
                continue;
            }
            index = start + count;
            return new OutgoingMessage(Topics.For(topic, records[start].Partition, "batch"), payload, key, count, "application/vnd.edge.batch");
        }
    }
}
