using System.Buffers;

namespace Edge.Local.Query;

/// <summary>
/// Copies a finished reply out of the reused build buffer into arrays below the large-object-heap threshold
/// (85,000 bytes), linked as one sequence that MQTTnet sends segment by segment. A 1,000-reading page is ~260 KB:
/// as one array it went to the large-object heap, where every allocation counts toward a full (gen 2) collection,
/// and those collections were a visible part of the range query's p99.
/// </summary>
internal static class ReplyChunks
{
    public const int ChunkBytes = 64 * 1024;

    public static ReadOnlySequence<byte> Copy(ReadOnlySpan<byte> data)
    {
        if (data.Length <= ChunkBytes) return new ReadOnlySequence<byte>(data.ToArray());
        var first = new ReplySegment(data[..ChunkBytes].ToArray(), 0);
        var last = first;
        for (int at = ChunkBytes; at < data.Length; at += ChunkBytes)
            last = last.Append(data.Slice(at, Math.Min(ChunkBytes, data.Length - at)).ToArray());
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
