namespace Edge.Log.Format;

/// <summary>
/// Unsigned LEB128 varints (the encoding of protobuf and Kafka record fields) and zigzag for signed deltas.
/// </summary>
internal static class VarInt
{
    public static int Size(ulong value)
    {
        int n = 1;
        while (value >= 0x80) { value >>= 7; n++; }
        return n;
    }

    public static int Write(Span<byte> dst, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            dst[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        dst[i++] = (byte)value;
        return i;
    }

    /// <summary>Reads a varint of at most 10 bytes; returns false on a truncated or over-long encoding.</summary>
    public static bool TryRead(ReadOnlySpan<byte> src, ref int pos, out ulong value)
    {
        value = 0;
        int shift = 0;
        while (pos < src.Length && shift < 64)
        {
            byte b = src[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return true;
            shift += 7;
        }
        return false;
    }

    public static ulong ZigZag(long v) => (ulong)((v << 1) ^ (v >> 63));

    public static long UnZigZag(ulong v) => (long)(v >> 1) ^ -(long)(v & 1);
}
