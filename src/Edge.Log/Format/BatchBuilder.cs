using System.Buffers.Binary;
using System.Text;

namespace Edge.Log.Format;

/// <summary>
/// Encodes records into one batch (FORMAT.md §4). Not thread-safe: the partition's append lock guards it.
/// </summary>
internal sealed class BatchBuilder
{
    private byte[] _buffer;
    private int _position;

    public BatchBuilder(int initialCapacity = 64 * 1024)
    {
        _buffer = new byte[Math.Max(initialCapacity, BatchHeader.Overhead + 64)];
        Reset(0);
    }

    public long BaseOffset { get; private set; }

    public long LastOffset { get; private set; }

    public int Count { get; private set; }

    public long FirstTimestamp { get; private set; }

    public long MaxTimestamp { get; private set; }

    /// <summary>Bytes the sealed batch will occupy on disk.</summary>
    public int SizeInBytes => _position + BatchHeader.TrailerSize;

    public void Reset(long baseOffset)
    {
        BaseOffset = baseOffset;
        LastOffset = baseOffset - 1;
        Count = 0;
        FirstTimestamp = 0;
        MaxTimestamp = long.MinValue;
        _position = BatchHeader.Size;
    }

    /// <summary>Encoded size of a record inside a batch, including its length prefix.</summary>
    public static int EncodedSize(in Record record, long offsetDelta, long timestampDelta)
    {
        int body = BodySize(record, offsetDelta, timestampDelta);
        return VarInt.Size((ulong)body) + body;
    }

    /// <summary>Appends a record at <paramref name="offset"/> (greater than the previous one).</summary>
    public void Add(long offset, in Record record)
    {
        if (Count == 0) FirstTimestamp = record.Timestamp;
        long offsetDelta = offset - BaseOffset;
        long tsDelta = record.Timestamp - FirstTimestamp;
        int body = BodySize(record, offsetDelta, tsDelta);
        EnsureCapacity(VarInt.Size((ulong)body) + body + BatchHeader.TrailerSize);

        Span<byte> dst = _buffer.AsSpan(_position);
        int p = VarInt.Write(dst, (ulong)body);
        p += VarInt.Write(dst[p..], (ulong)offsetDelta);
        p += VarInt.Write(dst[p..], VarInt.ZigZag(tsDelta));
        p += WriteNullable(dst[p..], record.Key);
        p += WriteNullable(dst[p..], record.Value);
        var headers = record.Headers;
        int headerCount = headers?.Count ?? 0;
        p += VarInt.Write(dst[p..], (ulong)headerCount);
        for (int i = 0; i < headerCount; i++)
        {
            var h = headers![i];
            int keyBytes = Encoding.UTF8.GetByteCount(h.Key);
            p += VarInt.Write(dst[p..], (ulong)keyBytes);
            p += Encoding.UTF8.GetBytes(h.Key, dst[p..]);
            p += WriteNullable(dst[p..], h.Value);
        }
        _position += p;
        LastOffset = offset;
        Count++;
        if (record.Timestamp > MaxTimestamp) MaxTimestamp = record.Timestamp;
    }

    /// <summary>Writes header and CRC trailer; the returned bytes are valid until the next <see cref="Reset"/>.</summary>
    public ReadOnlyMemory<byte> Seal()
    {
        int length = _position + BatchHeader.TrailerSize;
        var header = new BatchHeader(BatchHeader.CurrentVersion, 0, length, BaseOffset,
            checked((int)(LastOffset - BaseOffset)), Count, FirstTimestamp, MaxTimestamp);
        header.Write(_buffer);
        uint crc = Crc32C.Compute(_buffer.AsSpan(0, _position));
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_position), crc);
        return _buffer.AsMemory(0, length);
    }

    private static int BodySize(in Record record, long offsetDelta, long timestampDelta)
    {
        int size = VarInt.Size((ulong)offsetDelta) + VarInt.Size(VarInt.ZigZag(timestampDelta))
            + NullableSize(record.Key) + NullableSize(record.Value);
        var headers = record.Headers;
        int headerCount = headers?.Count ?? 0;
        size += VarInt.Size((ulong)headerCount);
        for (int i = 0; i < headerCount; i++)
        {
            int keyBytes = Encoding.UTF8.GetByteCount(headers![i].Key);
            size += VarInt.Size((ulong)keyBytes) + keyBytes + NullableSize(headers[i].Value);
        }
        return size;
    }

    // A nullable byte string is varint(length + 1) then the bytes; 0 means null.
    private static int NullableSize(ReadOnlyMemory<byte>? value) =>
        value is { } v ? VarInt.Size((ulong)v.Length + 1) + v.Length : 1;

    private static int WriteNullable(Span<byte> dst, ReadOnlyMemory<byte>? value)
    {
        if (value is not { } v) { dst[0] = 0; return 1; }
        int p = VarInt.Write(dst, (ulong)v.Length + 1);
        v.Span.CopyTo(dst[p..]);
        return p + v.Length;
    }

    private void EnsureCapacity(int extra)
    {
        if (_position + extra <= _buffer.Length) return;
        var bigger = new byte[Math.Max(_buffer.Length * 2, _position + extra)];
        _buffer.AsSpan(0, _position).CopyTo(bigger);
        _buffer = bigger;
    }
}
