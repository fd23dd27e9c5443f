using System.Buffers.Binary;
using System.Text;

namespace Edge.Readings;

/// <summary>
/// The compact binary form stored in the log (READINGS.md §1), little-endian:
/// <c>u8 magic 0x52 'R' | u8 version 1 | u8 quality | varint sequence | i64 UTC ticks | str sensorId | str kind |
/// u8 count | count × (str name | str unit | f64 value)</c>, where str is a u8 byte length and UTF-8 bytes.
/// No checksum: the log's batch CRC-32C covers it. Thread-safe (stateless).
/// </summary>
public static class ReadingBinaryCodec
{
    public const byte Magic = 0x52;
    public const byte Version = 1;

    /// <summary>Bytes <see cref="Encode(Reading, Span{byte})"/> will write.</summary>
    public static int SizeOf(Reading r)
    {
        int size = 3 + VarSize((ulong)r.Sequence) + 8 + 1 + Encoding.UTF8.GetByteCount(r.SensorId) + 1 + Encoding.UTF8.GetByteCount(r.Kind) + 1;
        foreach (var v in r.Values) size += 1 + Encoding.UTF8.GetByteCount(v.Name) + 1 + Encoding.UTF8.GetByteCount(v.Unit) + 8;
        return size;
    }

    public static byte[] Encode(Reading r)
    {
        var bytes = new byte[SizeOf(r)];
        Encode(r, bytes);
        return bytes;
    }

    /// <summary>Writes <paramref name="r"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Encode(Reading r, Span<byte> destination)
    {
        int p = 0;
        destination[p++] = Magic;
        destination[p++] = Version;
        destination[p++] = (byte)r.Quality;
        ulong seq = (ulong)r.Sequence;
        while (seq >= 0x80) { destination[p++] = (byte)(seq | 0x80); seq >>= 7; }
        destination[p++] = (byte)seq;
        BinaryPrimitives.WriteInt64LittleEndian(destination[p..], r.Timestamp.UtcTicks);
        p += 8;
        p += WriteString(destination[p..], r.SensorId);
        p += WriteString(destination[p..], r.Kind);
        destination[p++] = (byte)r.Values.Count;
        foreach (var v in r.Values)
        {
            p += WriteString(destination[p..], v.Name);
            p += WriteString(destination[p..], v.Unit);
            BinaryPrimitives.WriteDoubleLittleEndian(destination[p..], v.Value);
            p += 8;
        }
        return p;
    }

    /// <summary>Decodes exactly one reading; anything malformed throws <see cref="ReadingFormatException"/> naming the field and byte offset.</summary>
    public static Reading Decode(ReadOnlySpan<byte> data)
    {
        int p = 0;
        byte magic = Byte(data, ref p, "magic");
        if (magic != Magic) throw Error(0, "magic", $"0x{magic:X2} is not a reading (expected 0x{Magic:X2})");
        byte version = Byte(data, ref p, "version");
        if (version != Version) throw Error(1, "version", $"{version} is not supported (this build reads {Version})");
        var quality = (ReadingQuality)Byte(data, ref p, "quality");
        if (!Enum.IsDefined(quality)) throw Error(2, "quality", $"{(int)quality} is not ok (0), degraded (1) or simulated (2)");
        ulong seq = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (shift > 56) throw Error(p, "seq", "varint longer than 9 bytes");
            byte b = Byte(data, ref p, "seq");
            seq |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) break;
        }
        if (seq > long.MaxValue) throw Error(p, "seq", "out of range");
        if (data.Length - p < 8) throw Error(p, "ts", "truncated");
        long ticks = BinaryPrimitives.ReadInt64LittleEndian(data[p..]);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks) throw Error(p, "ts", $"{ticks} ticks is not a valid time");
        p += 8;
        string sensor = String(data, ref p, "sensorId");
        string kind = String(data, ref p, "kind");
        int count = Byte(data, ref p, "values.count");
        if (count > Reading.MaxValues) throw Error(p - 1, "values.count", $"{count} values; at most {Reading.MaxValues}");
        var values = new ReadingValue[count];
        for (int i = 0; i < count; i++)
        {
            // Field names are built only when something is wrong: this loop runs for every reading the uplink and queries read.
            string name = String(data, ref p, null, i, ".name");
            string unit = String(data, ref p, null, i, ".unit");
            if (data.Length - p < 8) throw Error(p, $"values[{i}].value", "truncated");
            values[i] = new ReadingValue(name, BinaryPrimitives.ReadDoubleLittleEndian(data[p..]), unit);
            p += 8;
        }
        if (p != data.Length) throw Error(p, "end", $"{data.Length - p} bytes after the reading");
        return new Reading(sensor, kind, new DateTimeOffset(ticks, TimeSpan.Zero), values, quality, (long)seq, owned: true);
    }

    private static int VarSize(ulong v)
    {
        int n = 1;
        while (v >= 0x80) { v >>= 7; n++; }
        return n;
    }

    private static int WriteString(Span<byte> dst, string s)
    {
        int n = Encoding.UTF8.GetBytes(s, dst[1..]);
        dst[0] = checked((byte)n);
        return n + 1;
    }

    private static byte Byte(ReadOnlySpan<byte> data, ref int p, string field) =>
        p < data.Length ? data[p++] : throw Error(p, field, "truncated");

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private static readonly StringCache Strings = new();

    private static string String(ReadOnlySpan<byte> data, ref int p, string? field, int index = -1, string suffix = "")
    {
        int start = p;
        if (p >= data.Length) throw Error(p, field ?? $"values[{index}]{suffix}", "truncated");
        int len = data[p++];
        if (data.Length - p < len) throw Error(start, field ?? $"values[{index}]{suffix}", $"length {len} runs past the end");
        string s = Strings.Get(data.Slice(p, len)) ?? Decode(data.Slice(p, len), p, field ?? $"values[{index}]{suffix}");
        p += len;
        return s;
    }

    private static string Decode(ReadOnlySpan<byte> bytes, int p, string field)
    {
        string s;
        try { s = StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException) { throw Error(p, field, "is not valid UTF-8"); }
        Strings.Add(bytes, s);
        return s;
    }

    private static ReadingFormatException Error(int offset, string field, string problem) => new($"{field} at byte {offset}: {problem}");
}
