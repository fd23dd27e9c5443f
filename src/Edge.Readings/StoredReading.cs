using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Edge.Readings;

/// <summary>
/// Works on a reading in its stored binary form (READINGS.md §1) without building a <see cref="Reading"/>: the
/// uplink checks and forwards or rewrites thousands of stored readings per batch, and decoding each into strings and
/// arrays was most of its CPU. <see cref="IsValid"/> accepts exactly what <see cref="ReadingBinaryCodec.Decode"/>
/// accepts (same rules as <c>ReadingRules</c>); <see cref="WriteJson"/> writes the same bytes as
/// <see cref="ReadingJsonCodec.Write"/> of the decoded reading. Thread-safe (stateless), allocation-free. The per-byte
/// loops are compiled fully optimized at once (AggressiveOptimization): a backlog drain runs them millions of times
/// within seconds of start, while tiered compilation would still be running them instrumented.
/// </summary>
public static class StoredReading
{
    /// <summary>
    /// Checks the fixed head of a stored reading (READINGS.md §1: magic, version, quality, sequence varint, time) as
    /// <see cref="ReadingBinaryCodec.Decode"/> does; <paramref name="ticks"/> is the reading's UTC time and
    /// <paramref name="next"/> the offset of the sensor id. The one owner of these checks for every reader of stored
    /// bytes (<see cref="IsValid"/>, the stream rules' parser).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryReadHead(ReadOnlySpan<byte> data, out long ticks, out int next)
    {
        (ticks, next) = (0, 0);
        if (data.Length < 3 || data[0] != ReadingBinaryCodec.Magic || data[1] != ReadingBinaryCodec.Version || data[2] > (byte)ReadingQuality.Simulated) return false;
        int p = 3;
        ulong seq = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (shift > 56 || p >= data.Length) return false;
            byte b = data[p++];
            seq |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) break;
        }
        if (seq > long.MaxValue || data.Length - p < 8) return false;
        ticks = BinaryPrimitives.ReadInt64LittleEndian(data[p..]);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks) return false;
        next = p + 8;
        return true;
    }

    /// <summary>True when <paramref name="data"/> is exactly one reading that <see cref="ReadingBinaryCodec.Decode"/> would accept.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsValid(ReadOnlySpan<byte> data)
    {
        if (!TryReadHead(data, out _, out int p)) return false;
        // Every allowed character is ASCII, so these byte checks are the UTF-8 and character rules in one.
        if (!Id(data, ref p, 64, upper: true, dash: true, dot: true) || !Id(data, ref p, 64, upper: false, dash: false, dot: true)) return false;
        if (p >= data.Length) return false;
        int count = data[p++];
        if (count > Reading.MaxValues) return false;
        Span<int> names = stackalloc int[Reading.MaxValues];
        for (int i = 0; i < count; i++)
        {
            names[i] = p;
            if (!Id(data, ref p, 32, upper: false, dash: false, dot: false)) return false;
            for (int j = 0; j < i; j++)
                if (Name(data, names[j]).SequenceEqual(Name(data, names[i]))) return false;
            if (p >= data.Length) return false;
            int unit = data[p++];
            if (unit > 16 || data.Length - p < unit) return false;
            foreach (byte c in data.Slice(p, unit))
                if (c is < (byte)'!' or > (byte)'~') return false;
            p += unit;
            if (data.Length - p < 8 || !double.IsFinite(BinaryPrimitives.ReadDoubleLittleEndian(data[p..]))) return false;
            p += 8;
        }
        return p == data.Length;
    }

    /// <summary>
    /// The sequence number of a stored reading that passed <see cref="IsValid"/>, and in <paramref name="next"/> the
    /// offset of its time (READINGS.md §1: after magic, version, quality and the sequence number's varint).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Sequence(ReadOnlySpan<byte> data, out int next)
    {
        int p = 3;
        ulong seq = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = data[p++];
            seq |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) break;
        }
        next = p;
        return seq;
    }

    private static ReadOnlySpan<byte> Name(ReadOnlySpan<byte> data, int at) => data.Slice(at + 1, data[at]);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Id(ReadOnlySpan<byte> data, ref int p, int max, bool upper, bool dash, bool dot)
    {
        if (p >= data.Length) return false;
        int len = data[p++];
        if (len < 1 || len > max || data.Length - p < len) return false;
        foreach (byte c in data.Slice(p, len))
            if (!(c is >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'_' || dot && c == '.' || upper && c is >= (byte)'A' and <= (byte)'Z' || dash && c == '-')) return false;
        p += len;
        return true;
    }

    /// <summary>
    /// Writes a stored reading that passed <see cref="IsValid"/> as its JSON form (READINGS.md §2), byte for byte what
    /// <see cref="ReadingJsonCodec.Write"/> writes for the decoded reading. Undefined for input that did not pass.
    /// </summary>
    public static void WriteJson(Utf8JsonWriter w, ReadOnlySpan<byte> data)
    {
        ulong seq = Sequence(data, out int p);
        long ticks = BinaryPrimitives.ReadInt64LittleEndian(data[p..]);
        p += 8;
        var sensor = Str(data, ref p);
        var kind = Str(data, ref p);
        Span<byte> ts = stackalloc byte[IsoTimestamp.Length];
        IsoTimestamp.Write(new DateTime(ticks, DateTimeKind.Utc), ts);
        ReadingJsonCodec.WriteHead(w, sensor, kind, ts, (long)seq, (ReadingQuality)data[2]);
        int count = data[p++];
        for (int i = 0; i < count; i++)
        {
            var name = Str(data, ref p);
            var unit = Str(data, ref p);
            ReadingJsonCodec.WriteValue(w, name, BinaryPrimitives.ReadDoubleLittleEndian(data[p..]), unit);
            p += 8;
        }
        ReadingJsonCodec.WriteTail(w);
    }

    /// <summary>
    /// Appends a stored reading that passed <see cref="IsValid"/> as its JSON form to <paramref name="output"/>, the same
    /// bytes as <see cref="WriteJson"/> without a <see cref="Utf8JsonWriter"/>: ids are ASCII from sets JSON never
    /// escapes, so only units go through the writer's escaping rules (JavaScriptEncoder.Default). The uplink's JSON
    /// batch writes hundreds of thousands of readings a second this way. Undefined for input that did not pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AppendJson(IBufferWriter<byte> output, ReadOnlySpan<byte> data)
    {
        // Bound: fixed text, ≤ 6 bytes per unit byte escaped, ≤ 24 per number; every stored value takes ≥ 11 bytes.
        var dst = output.GetSpan(256 + 8 * data.Length);
        int n = 0;
        ulong seq = Sequence(data, out int p);
        long ticks = BinaryPrimitives.ReadInt64LittleEndian(data[p..]);
        p += 8;
        n += Put(dst[n..], "{\"sensor\":\""u8);
        n += Put(dst[n..], Str(data, ref p));
        n += Put(dst[n..], "\",\"kind\":\""u8);
        n += Put(dst[n..], Str(data, ref p));
        n += Put(dst[n..], "\",\"ts\":\""u8);
        IsoTimestamp.Write(new DateTime(ticks, DateTimeKind.Utc), dst[n..]);
        n += IsoTimestamp.Length;
        n += Put(dst[n..], "\",\"seq\":"u8);
        seq.TryFormat(dst[n..], out int w, default, CultureInfo.InvariantCulture);
        n += w;
        n += Put(dst[n..], (ReadingQuality)data[2] switch
        {
            ReadingQuality.Ok => ",\"quality\":\"ok\",\"values\":["u8,
            ReadingQuality.Degraded => ",\"quality\":\"degraded\",\"values\":["u8,
            _ => ",\"quality\":\"simulated\",\"values\":["u8,
        });
        int count = data[p++];
        for (int i = 0; i < count; i++)
        {
            n += Put(dst[n..], i == 0 ? "{\"name\":\""u8 : ",{\"name\":\""u8);
            n += Put(dst[n..], Str(data, ref p));
            var unit = Str(data, ref p);
            double value = BinaryPrimitives.ReadDoubleLittleEndian(data[p..]);
            p += 8;
            n += Put(dst[n..], "\",\"value\":"u8);
            n += Number(dst[n..], value);
            n += Put(dst[n..], ",\"unit\":\""u8);
            if (JavaScriptEncoder.Default.FindFirstCharacterToEncodeUtf8(unit) < 0) n += Put(dst[n..], unit);
            else
            {
                JavaScriptEncoder.Default.EncodeUtf8(unit, dst[n..], out _, out w);
                n += w;
            }
            n += Put(dst[n..], "\"}"u8);
        }
        n += Put(dst[n..], "]}"u8);
        output.Advance(n);
    }

    /// <summary>
    /// Appends a stored reading that passed <see cref="IsValid"/> as one row of a JSON batch (UPLINK.md §3.2):
    /// <c>[shape,"ts",seq,"quality",v1,…,vn]</c>, where <paramref name="shape"/> indexes the batch's table of sensor id,
    /// kind and value names and units, and the values follow that table's order (the stored order). Time, quality and
    /// numbers are written as in the reading's JSON form (READINGS.md §2): a row is that form without the strings the
    /// table holds once for the whole batch. Undefined for input that did not pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AppendJsonRow(IBufferWriter<byte> output, ReadOnlySpan<byte> data, int shape)
    {
        // Bound: fixed text and ≤ 25 bytes per number; every stored value takes ≥ 11 bytes.
        var dst = output.GetSpan(96 + 3 * data.Length);
        int n = 0;
        dst[n++] = (byte)'[';
        shape.TryFormat(dst[n..], out int w, default, CultureInfo.InvariantCulture);
        n += w;
        n += Put(dst[n..], ",\""u8);
        ulong seq = Sequence(data, out int p);
        IsoTimestamp.Write(new DateTime(BinaryPrimitives.ReadInt64LittleEndian(data[p..]), DateTimeKind.Utc), dst[n..]);
        n += IsoTimestamp.Length;
        p += 8;
        n += Put(dst[n..], "\","u8);
        seq.TryFormat(dst[n..], out w, default, CultureInfo.InvariantCulture);
        n += w;
        n += Put(dst[n..], (ReadingQuality)data[2] switch
        {
            ReadingQuality.Ok => ",\"ok\""u8,
            ReadingQuality.Degraded => ",\"degraded\""u8,
            _ => ",\"simulated\""u8,
        });
        p += 1 + data[p]; // sensor id
        p += 1 + data[p]; // kind
        int count = data[p++];
        for (int i = 0; i < count; i++)
        {
            p += 1 + data[p]; // name
            p += 1 + data[p]; // unit
            dst[n++] = (byte)',';
            n += Number(dst[n..], BinaryPrimitives.ReadDoubleLittleEndian(data[p..]));
            p += 8;
        }
        dst[n++] = (byte)']';
        output.Advance(n);
    }

    // The writer's number forms: whole numbers as integers (ReadingJsonCodec), others shortest round-trip.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Number(Span<byte> dst, double value)
    {
        int w;
        if (ReadingJsonCodec.IsPlainInteger(value)) ((long)value).TryFormat(dst, out w, default, CultureInfo.InvariantCulture);
        else value.TryFormat(dst, out w, default, CultureInfo.InvariantCulture);
        return w;
    }

    private static int Put(Span<byte> dst, ReadOnlySpan<byte> text)
    {
        text.CopyTo(dst);
        return text.Length;
    }

    private static ReadOnlySpan<byte> Str(ReadOnlySpan<byte> data, ref int p)
    {
        int len = data[p++];
        var s = data.Slice(p, len);
        p += len;
        return s;
    }
}
