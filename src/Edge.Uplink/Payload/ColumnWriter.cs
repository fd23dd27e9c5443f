using System.Buffers.Binary;
using System.Text;

namespace Edge.Uplink.Payload;

/// <summary>The growing byte buffer <see cref="BinaryBatchCodec"/> writes its columns into (varints, bytes, strings).</summary>
internal struct ColumnWriter(int capacity)
{
    private byte[] _buffer = new byte[Math.Max(16, capacity)];
    private int _length;

    public readonly int Length => _length;

    public readonly ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public void Varint(ulong v)
    {
        Ensure(10);
        while (v >= 0x80)
        {
            _buffer[_length++] = (byte)(v | 0x80);
            v >>= 7;
        }
        _buffer[_length++] = (byte)v;
    }

    /// <summary>Forgets what was written and keeps the buffer (one writer per encoder, reused for every message).</summary>
    public void Reset() => _length = 0;

    public void Bytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public void Byte(byte b)
    {
        Ensure(1);
        _buffer[_length++] = b;
    }

    public void UInt64BigEndian(ulong v)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.AsSpan(_length), v);
        _length += 8;
    }

    /// <summary>Varint byte length, then the UTF-8 bytes.</summary>
    public void String(string s)
    {
        int n = Encoding.UTF8.GetByteCount(s);
        Varint((ulong)n);
        Ensure(n);
        _length += Encoding.UTF8.GetBytes(s, _buffer.AsSpan(_length));
    }

    private void Ensure(int bytes)
    {
        if (_length + bytes > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes));
    }
}
