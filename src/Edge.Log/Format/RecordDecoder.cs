using System.Text;

namespace Edge.Log.Format;

/// <summary>Decodes the records of a checksum-verified batch into <see cref="LogRecord"/>s. Key and value slice the batch memory.</summary>
internal static class RecordDecoder
{
    private static readonly RecordHeader[] NoHeaders = [];

    /// <summary>Adds the batch's records with offset ≥ <paramref name="minOffset"/> to <paramref name="output"/>.</summary>
    public static void Decode(ReadOnlyMemory<byte> batch, in BatchHeader header, int partition, long minOffset,
        List<LogRecord> output, string file, long filePosition)
    {
        var it = new RecordIterator(batch.Span, header, file, filePosition);
        while (it.MoveNext())
        {
            IReadOnlyList<RecordHeader> headers = NoHeaders;
            if (it.HeaderCount > 0)
            {
                var list = new RecordHeader[it.HeaderCount];
                int pos = it.HeadersStart;
                for (int h = 0; h < list.Length; h++)
                {
                    it.ReadHeader(ref pos, out int nameStart, out int nameLength, out int valueStart, out int valueLength);
                    list[h] = new RecordHeader(Encoding.UTF8.GetString(batch.Span.Slice(nameStart, nameLength)), Slice(batch, valueStart, valueLength));
                }
                headers = list;
            }
            if (it.Offset >= minOffset)
                output.Add(new LogRecord(partition, it.Offset, it.Timestamp, Slice(batch, it.KeyStart, it.KeyLength), Slice(batch, it.ValueStart, it.ValueLength), headers));
        }
    }

    // The cast matters: a bare null would convert through byte[] into an empty (not null) ReadOnlyMemory.
    private static ReadOnlyMemory<byte>? Slice(ReadOnlyMemory<byte> batch, int start, int length) =>
        length < 0 ? (ReadOnlyMemory<byte>?)null : batch.Slice(start, length);
}
