using System.Buffers.Binary;
using Edge.Log.Format;
using Edge.Log.IO;

namespace Edge.Log.Storage;

/// <summary>
/// A durable upper bound on offsets ever handed out by a page-cache (unsynced) partition (FORMAT.md §7.4).
/// After a power loss takes back unsynced records, the partition resumes at the lease end, so an offset a
/// consumer saw is never reused for different data. Two checksummed slots are written alternately so a torn
/// write leaves the previous lease readable.
/// </summary>
internal sealed class OffsetLease : IDisposable
{
    private const uint Magic = 0x45534C45; // "ELSE"
    private const byte Version = 1;
    private const int SlotSize = 32;

    private readonly ILogFile _file;
    private long _sequence;

    private OffsetLease(ILogFile file, long sequence, long end)
    {
        _file = file;
        _sequence = sequence;
        End = end;
    }

    /// <summary>No offset at or above this was handed out while the lease was in force.</summary>
    public long End { get; private set; }

    public static OffsetLease Open(IFileSystem fs, string dir)
    {
        var file = fs.Open(Path.Combine(dir, SegmentFiles.LeaseFile), create: true);
        Span<byte> buf = stackalloc byte[SlotSize * 2];
        int n = file.Read(buf, 0);
        long bestSeq = 0, bestEnd = 0;
        for (int slot = 0; slot < 2; slot++)
        {
            if (n < (slot + 1) * SlotSize) break;
            var s = buf.Slice(slot * SlotSize, SlotSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(s) != Magic || s[4] != Version) continue;
            if (BinaryPrimitives.ReadUInt32LittleEndian(s[24..]) != Crc32C.Compute(s[..24])) continue;
            long seq = BinaryPrimitives.ReadInt64LittleEndian(s[8..]);
            if (seq > bestSeq)
            {
                bestSeq = seq;
                bestEnd = BinaryPrimitives.ReadInt64LittleEndian(s[16..]);
            }
        }
        return new OffsetLease(file, bestSeq, bestEnd);
    }

    /// <summary>Durably raises the lease end; returns after fdatasync.</summary>
    public void Extend(long end)
    {
        long seq = _sequence + 1;
        Span<byte> s = stackalloc byte[SlotSize];
        s.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(s, Magic);
        s[4] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(s[8..], seq);
        BinaryPrimitives.WriteInt64LittleEndian(s[16..], end);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], Crc32C.Compute(s[..24]));
        _file.Write(s, (seq % 2) * SlotSize);
        _file.Sync();
        _sequence = seq;
        End = end;
    }

    public void Dispose() => _file.Dispose();
}
