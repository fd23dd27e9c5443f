using System.Text;

namespace Edge.Log.Format;

/// <summary>Decodes the records of a checksum-verified batch. Key and value slice the batch memory.</summary>
internal static class RecordDecoder
{
    private static readonly RecordHeader[] NoHeaders = [];

    /// <summary>Adds the batch's records with offset ≥ <paramref name="minOffset"/> to <paramref name="output"/>.</summary>
    public static void Decode(ReadOnlyMemory<byte> batch, in BatchHeader header, int partition, long minOffset,
        List<LogRecord> output, string file, long filePosition)
    {
        ReadOnlySpan<byte> span = batch.Span;
        int pos = BatchHeader.Size;
        int end = header.Length - BatchHeader.TrailerSize;
        for (int i = 0; i < header.RecordCount; i++)
        {
            if (!VarInt.TryRead(span[..end], ref pos, out ulong bodyLen) || bodyLen > (ulong)(end - pos))
                throw Corrupt(file, filePosition, i, "record length");
            int bodyEnd = pos + (int)bodyLen;
            ReadOnlySpan<byte> body = span[..bodyEnd];
            if (!VarInt.TryRead(body, ref pos, out ulong offsetDelta)
                || !VarInt.TryRead(body, ref pos, out ulong tsZig))
                throw Corrupt(file, filePosition, i, "offset or timestamp delta");
            long offset = header.BaseOffset + (long)offsetDelta;
            var key = ReadNullable(batch, body, ref pos) ?? throw Corrupt(file, filePosition, i, "key");
            var value = ReadNullable(batch, body, ref pos) ?? throw Corrupt(file, filePosition, i, "value");
            if (!VarInt.TryRead(body, ref pos, out ulong headerCount) || headerCount > (ulong)(bodyEnd - pos))
                throw Corrupt(file, filePosition, i, "header count");
            IReadOnlyList<RecordHeader> headers = NoHeaders;
            if (headerCount > 0)
            {
                var list = new RecordHeader[(int)headerCount];
                for (int h = 0; h < list.Length; h++)
                {
                    if (!VarInt.TryRead(body, ref pos, out ulong keyLen) || keyLen > (ulong)(bodyEnd - pos))
                        throw Corrupt(file, filePosition, i, "header name");
                    string name = Encoding.UTF8.GetString(body.Slice(pos, (int)keyLen));
                    pos += (int)keyLen;
                    var hv = ReadNullable(batch, body, ref pos) ?? throw Corrupt(file, filePosition, i, "header value");
                    list[h] = new RecordHeader(name, hv.Value);
                }
                headers = list;
            }
            if (pos != bodyEnd) throw Corrupt(file, filePosition, i, "record length does not match its fields");
            if (offset >= minOffset)
                output.Add(new LogRecord(partition, offset, header.FirstTimestamp + VarInt.UnZigZag(tsZig), key.Value, value.Value, headers));
        }
        if (pos != end) throw Corrupt(file, filePosition, header.RecordCount, "bytes after the last record");
    }

    // Returns null on malformed input; otherwise a wrapper whose Value is the (possibly null) byte string.
    private static Nullable<Wrapper> ReadNullable(ReadOnlyMemory<byte> batch, ReadOnlySpan<byte> body, ref int pos)
    {
        if (!VarInt.TryRead(body, ref pos, out ulong lenPlusOne)) return null;
        if (lenPlusOne == 0) return new Wrapper(null);
        ulong len = lenPlusOne - 1;
        if (len > (ulong)(body.Length - pos)) return null;
        var slice = batch.Slice(pos, (int)len);
        pos += (int)len;
        return new Wrapper(slice);
    }

    private static CorruptRecordException Corrupt(string file, long position, int index, string what) =>
        new(file, position, $"record #{index}: malformed {what}");

    private readonly record struct Wrapper(ReadOnlyMemory<byte>? Value);
}
