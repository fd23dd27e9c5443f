using System.Text;
using Edge.Readings;
using Edge.Uplink.Payload;

namespace Edge.TestKit;

/// <summary>
/// The reference decoder of the "ER" records batch (UPLINK.md §3.4), written from the document, not from the encoder:
/// header 'E' 'R' 1 0, gateway and topic (varint length + UTF-8), partition, first offset and count (varints), then
/// count × (varint length + one stored reading, READINGS.md §1). Every length is checked; reading i has offset first + i.
/// </summary>
public static class RecordsBatchDecoder
{
    public static (IdempotencyKey Key, IReadOnlyList<Reading> Readings, IReadOnlyList<byte[]> Stored) Decode(byte[] payload)
    {
        if (payload.Length < 4 || payload[0] != 'E' || payload[1] != 'R') throw new FormatException("not an ER batch");
        if (payload[2] != 1) throw new FormatException($"version {payload[2]}");
        if (payload[3] != 0) throw new FormatException($"flags {payload[3]}");
        int p = 4;
        string gateway = String(payload, ref p), topic = String(payload, ref p);
        int partition = checked((int)Varint(payload, ref p));
        long first = checked((long)Varint(payload, ref p));
        int count = checked((int)Varint(payload, ref p));
        var readings = new List<Reading>(count);
        var stored = new List<byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            int length = checked((int)Varint(payload, ref p));
            if (payload.Length - p < length) throw new FormatException($"reading {i} runs past the end");
            byte[] bytes = payload[p..(p + length)];
            p += length;
            stored.Add(bytes);
            readings.Add(ReadingBinaryCodec.Decode(bytes));
        }
        if (p != payload.Length) throw new FormatException($"{payload.Length - p} bytes after the last reading");
        return (new IdempotencyKey(gateway, topic, partition, first, first + count - 1), readings, stored);
    }

    private static ulong Varint(byte[] data, ref int p)
    {
        ulong v = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (p >= data.Length) throw new FormatException("truncated varint");
            byte b = data[p++];
            v |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return v;
        }
        throw new FormatException("varint longer than 10 bytes");
    }

    private static string String(byte[] data, ref int p)
    {
        int length = checked((int)Varint(data, ref p));
        if (data.Length - p < length) throw new FormatException("string runs past the end");
        string s = Encoding.UTF8.GetString(data, p, length);
        p += length;
        return s;
    }
}
