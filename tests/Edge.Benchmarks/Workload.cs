using System.Buffers.Binary;
using System.Text;

namespace Edge.Benchmarks;

/// <summary>
/// The anchors' reading (../shared/anchors/bench/Common.cs): 8-char sensor id zero-padded to 16 bytes, int64 unix-ms
/// timestamp, 3 doubles, all little-endian: 48 bytes. The same values, so rows compare like for like.
/// </summary>
internal static class Workload
{
    public const int PayloadSize = 48;
    public const int SensorCount = 64;
    private const long BaseTs = 1_760_000_000_000L;

    public static readonly byte[][] SensorIds = Enumerable.Range(0, SensorCount)
        .Select(i => Encoding.UTF8.GetBytes($"th-{i:D5}")).ToArray();

    public static long Timestamp(long seq) => BaseTs + seq;

    public static void Encode(Span<byte> dst, long seq)
    {
        dst[..16].Clear();
        SensorIds[seq & (SensorCount - 1)].CopyTo(dst);
        BinaryPrimitives.WriteInt64LittleEndian(dst[16..], BaseTs + seq);
        BinaryPrimitives.WriteDoubleLittleEndian(dst[24..], 20.0 + seq % 1000 * 0.01);
        BinaryPrimitives.WriteDoubleLittleEndian(dst[32..], 40.0 + seq % 777 * 0.03);
        BinaryPrimitives.WriteDoubleLittleEndian(dst[40..], 1013.25 - seq % 333 * 0.1);
    }
}
