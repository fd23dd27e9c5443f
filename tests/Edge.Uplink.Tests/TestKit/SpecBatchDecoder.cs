using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Edge.Uplink.Tests.TestKit;

/// <summary>
/// A decoder of the "EB" version 1 binary batch written from UPLINK.md §3.3 alone, without Edge.Uplink or
/// Edge.Readings code: what a cloud team would write from the document. If our encoder and its reference decoder
/// changed together, this one would stop agreeing with them. Results are plain tuples, not our Reading type.
/// </summary>
public static class SpecBatchDecoder
{
    public sealed record Value(string Name, string Unit, double Number);

    public sealed record Row(long Offset, string Sensor, string Kind, long UtcTicks, int Quality, long Sequence, IReadOnlyList<Value> Values);

    public sealed record Batch(string Gateway, string Topic, long Partition, long First, long Last, IReadOnlyList<Row> Rows);

    public static Batch Decode(byte[] message)
    {
        // Header: 'E' 'B', version 1, compression 1 = Brotli (RFC 7932); the rest is one Brotli stream.
        if (message.Length < 4 || message[0] != (byte)'E' || message[1] != (byte)'B') throw new InvalidDataException("not an EB batch");
        if (message[2] != 1) throw new InvalidDataException($"version {message[2]}, expected 1");
        if (message[3] != 1) throw new InvalidDataException($"compression {message[3]}, expected 1 (Brotli)");
        using var brotli = new BrotliStream(new MemoryStream(message, 4, message.Length - 4), CompressionMode.Decompress);
        using var body = new MemoryStream();
        brotli.CopyTo(body);
        var r = new Reader(body.ToArray());

        string gateway = r.String(), topic = r.String();
        long partition = (long)r.Varint(), first = (long)r.Varint();
        int count = checked((int)r.Varint());
        var sensors = new (string Id, string Kind)[checked((int)r.Varint())];
        for (int i = 0; i < sensors.Length; i++) sensors[i] = (r.String(), r.String());
        var names = new (string Name, string Unit)[checked((int)r.Varint())];
        for (int i = 0; i < names.Length; i++) names[i] = (r.String(), r.String());

        var sensorColumn = new int[count];
        for (int i = 0; i < count; i++) sensorColumn[i] = checked((int)r.Varint());
        // Timestamps: zigzag delta from the previous reading's ticks, the first from 0.
        var ticks = new long[count];
        long previousTicks = 0;
        for (int i = 0; i < count; i++) ticks[i] = previousTicks += r.Zigzag();
        var quality = new int[count];
        for (int i = 0; i < count; i++) quality[i] = r.Byte();
        // Sequences: zigzag delta from the previous sequence of the same sensors entry, the first from 0.
        var sequence = new long[count];
        var lastSequence = new long[sensors.Length];
        for (int i = 0; i < count; i++) sequence[i] = lastSequence[sensorColumn[i]] += r.Zigzag();
        var valueCounts = new int[count];
        for (int i = 0; i < count; i++) valueCounts[i] = checked((int)r.Varint());
        int totalValues = valueCounts.Sum();
        var nameColumn = new int[totalValues];
        for (int i = 0; i < totalValues; i++) nameColumn[i] = checked((int)r.Varint());
        // Values: 8 bytes big-endian, the IEEE 754 bits XOR the previous value of the same (sensors entry, names entry).
        var previousBits = new Dictionary<(int, int), ulong>();
        var rows = new List<Row>(count);
        int v = 0;
        for (int i = 0; i < count; i++)
        {
            var values = new List<Value>(valueCounts[i]);
            for (int k = 0; k < valueCounts[i]; k++, v++)
            {
                var slot = (sensorColumn[i], nameColumn[v]);
                ulong bits = r.UInt64BigEndian() ^ previousBits.GetValueOrDefault(slot);
                previousBits[slot] = bits;
                values.Add(new Value(names[nameColumn[v]].Name, names[nameColumn[v]].Unit, BitConverter.UInt64BitsToDouble(bits)));
            }
            var (id, kind) = sensors[sensorColumn[i]];
            rows.Add(new Row(first + i, id, kind, ticks[i], quality[i], sequence[i], values));
        }
        if (!r.AtEnd) throw new InvalidDataException("bytes after the value column");
        return new Batch(gateway, topic, partition, first, first + count - 1, rows);
    }

    private sealed class Reader(byte[] data)
    {
        private int _at;

        public bool AtEnd => _at == data.Length;

        public byte Byte() => _at < data.Length ? data[_at++] : throw new InvalidDataException("truncated");

        /// <summary>Unsigned LEB128.</summary>
        public ulong Varint()
        {
            ulong result = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                byte b = Byte();
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return result;
            }
            throw new InvalidDataException("varint longer than 64 bits");
        }

        /// <summary>Zigzag (protobuf): 0, −1, 1, −2 … are 0, 1, 2, 3 ….</summary>
        public long Zigzag()
        {
            ulong u = Varint();
            return (long)(u >> 1) ^ -(long)(u & 1);
        }

        public string String()
        {
            int length = checked((int)Varint());
            if (_at + length > data.Length) throw new InvalidDataException("truncated string");
            string s = Encoding.UTF8.GetString(data, _at, length);
            _at += length;
            return s;
        }

        public ulong UInt64BigEndian()
        {
            if (_at + 8 > data.Length) throw new InvalidDataException("truncated value");
            ulong u = BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(_at, 8));
            _at += 8;
            return u;
        }
    }
}
