using System.Text;
using Edge.Log;
using Edge.Readings;

namespace Edge.Uplink.Payload;

/// <summary>
/// Consecutive readings of one partition as one "ER" message on the "batch" topic (UPLINK.md §3.4): a small header,
/// then each reading's stored bytes (READINGS.md §1) exactly as the log holds them, each behind its varint length.
/// Nothing is decoded or re-encoded: each record is only checked (<see cref="StoredReading.IsValid"/>, so a corrupt
/// one is parked, not forwarded) and copied once into the message. For links that are not billed by the byte; the
/// columnar <see cref="BinaryBatchEncoder"/> sends 17–35× fewer bytes for 2–3× the CPU.
/// </summary>
public sealed class RecordsBatchEncoder(string gateway, TopicTemplate topics, int maxReadings, int maxBytes) : PayloadEncoder(gateway, topics)
{
    /// <summary>'E' 'R', version 1, flags 0 (no compression; other values are reserved).</summary>
    public static ReadOnlySpan<byte> Header => [(byte)'E', (byte)'R', 1, 0];

    public const string ContentType = "application/vnd.edge.records";

    public override OutgoingMessage? EncodeNext(string topic, IReadOnlyList<LogRecord> records, ref int index, int limit)
    {
        int start = index, count = 0, bytes = 0;
        for (int i = start; i < records.Count; i++)
        {
            var record = records[i];
            if (record.Value is not { } value || !StoredReading.IsValid(value.Span)) break;
            int size = VarintSize((uint)value.Length) + value.Length;
            if (count > 0 && (record.Offset != records[i - 1].Offset + 1 || count >= Math.Min(limit, maxReadings) || bytes + size > maxBytes)) break;
            count++;
            bytes += size;
        }
        if (count == 0) return null;
        index = start + count;
        var first = records[start];
        var key = Key(topic, first.Partition, first.Offset, first.Offset + count - 1);
        int gatewayBytes = Encoding.UTF8.GetByteCount(key.Gateway), topicBytes = Encoding.UTF8.GetByteCount(key.Topic);
        int headerSize = Header.Length + VarintSize((uint)gatewayBytes) + gatewayBytes + VarintSize((uint)topicBytes) + topicBytes
            + VarintSize((ulong)key.Partition) + VarintSize((ulong)key.First) + VarintSize((ulong)count);
        // Sized exactly, so the message is the one allocation of the batch.
        var payload = new byte[headerSize + bytes];
        var span = payload.AsSpan();
        Header.CopyTo(span);
        int p = Header.Length;
        p += Varint(span[p..], (uint)gatewayBytes);
        p += Encoding.UTF8.GetBytes(key.Gateway, span[p..]);
        p += Varint(span[p..], (uint)topicBytes);
        p += Encoding.UTF8.GetBytes(key.Topic, span[p..]);
        p += Varint(span[p..], (ulong)key.Partition);
        p += Varint(span[p..], (ulong)key.First);
        p += Varint(span[p..], (ulong)count);
        for (int i = start; i < index; i++)
        {
            var value = records[i].Value!.Value.Span;
            p += Varint(span[p..], (uint)value.Length);
            value.CopyTo(span[p..]);
            p += value.Length;
        }
        return new OutgoingMessage(Topics.For(topic, first.Partition, "batch"), payload, key, count, ContentType);
    }

    private static int VarintSize(ulong v)
    {
        int n = 1;
        while (v >= 0x80) { v >>= 7; n++; }
        return n;
    }

    private static int Varint(Span<byte> dst, ulong v)
    {
        int n = 0;
        while (v >= 0x80) { dst[n++] = (byte)(v | 0x80); v >>= 7; }
        dst[n++] = (byte)v;
        return n;
    }
}
