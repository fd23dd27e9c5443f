using System.Buffers.Binary;
using Edge.Log.Format;
using Edge.Log.IO;

namespace Edge.Log.Storage;

/// <summary>
/// Byte layout of the .index and .timeindex files (FORMAT.md §5). Index files are derived data: a missing or
/// damaged one is rebuilt from the log, and every entry is checked against the log before it is trusted.
/// </summary>
internal static class IndexFileFormat
{
    public const uint Magic = 0x58444945;        // "EIDX" little-endian
    public const uint TrailerMagic = 0x4C414553; // "SEAL"
    public const byte Version = 1;
    public const byte OffsetKind = 1;
    public const byte TimeKind = 2;
    public const int HeaderSize = 16;
    public const int TrailerSize = 36;
    public const int OffsetEntrySize = 8;
    public const int TimeEntrySize = 12;

    public static int EntrySize(byte kind) => kind == OffsetKind ? OffsetEntrySize : TimeEntrySize;

    public static void WriteHeader(Span<byte> dst, byte kind, long baseOffset)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(dst, Magic);
        dst[4] = Version;
        dst[5] = kind;
        BinaryPrimitives.WriteUInt16LittleEndian(dst[6..], (ushort)EntrySize(kind));
        BinaryPrimitives.WriteInt64LittleEndian(dst[8..], baseOffset);
    }

    public static void WriteEntry(Span<byte> dst, byte kind, SparseIndex index, int i)
    {
        if (kind == OffsetKind)
        {
            BinaryPrimitives.WriteInt32LittleEndian(dst, index.RelOffsetAt(i));
            BinaryPrimitives.WriteInt32LittleEndian(dst[4..], index.PositionAt(i));
        }
        else
        {
            BinaryPrimitives.WriteInt64LittleEndian(dst, index.MaxTimestampAt(i));
            BinaryPrimitives.WriteInt32LittleEndian(dst[8..], index.RelOffsetAt(i));
        }
    }

    /// <summary>Encodes a complete sealed index file: header, entries, trailer with CRC32C.</summary>
    public static byte[] EncodeSealed(byte kind, long baseOffset, SparseIndex index, IndexTrailer trailer)
    {
        int entrySize = EntrySize(kind);
        int count = index.Count;
        var bytes = new byte[HeaderSize + count * entrySize + TrailerSize];
        WriteHeader(bytes, kind, baseOffset);
        for (int i = 0; i < count; i++) WriteEntry(bytes.AsSpan(HeaderSize + i * entrySize), kind, index, i);
        var t = bytes.AsSpan(HeaderSize + count * entrySize);
        BinaryPrimitives.WriteUInt32LittleEndian(t, TrailerMagic);
        BinaryPrimitives.WriteInt32LittleEndian(t[4..], count);
        BinaryPrimitives.WriteInt64LittleEndian(t[8..], trailer.SegmentLength);
        BinaryPrimitives.WriteInt64LittleEndian(t[16..], trailer.NextOffset);
        BinaryPrimitives.WriteInt64LittleEndian(t[24..], trailer.MaxTimestamp);
        BinaryPrimitives.WriteUInt32LittleEndian(t[32..], Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4)));
        return bytes;
    }

    /// <summary>
    /// Reads both index files of a segment. Returns null when either is missing or damaged (bad magic, version,
    /// base offset, checksum, or entries out of order); <paramref name="problem"/> says which.
    /// </summary>
    public static (SparseIndex Index, IndexTrailer? Trailer)? TryLoad(IFileSystem fs, string indexPath, string timeIndexPath,
        long baseOffset, out string problem)
    {
        var off = TryLoadOne(fs, indexPath, OffsetKind, baseOffset, out problem);
        if (off is null) return null;
        var time = TryLoadOne(fs, timeIndexPath, TimeKind, baseOffset, out problem);
        if (time is null) return null;
        var (offBytes, offCount, offTrailer) = off.Value;
        var (timeBytes, timeCount, timeTrailer) = time.Value;
        if (offTrailer != timeTrailer && offTrailer is not null && timeTrailer is not null)
        {
            problem = "offset and time index trailers disagree";
            return null;
        }
        var index = new SparseIndex();
        int count = Math.Min(offCount, timeCount);
        int prevRel = -1, prevPos = -1;
        long prevTs = long.MinValue;
        for (int i = 0; i < count; i++)
        {
            var o = offBytes.AsSpan(HeaderSize + i * OffsetEntrySize);
            var t = timeBytes.AsSpan(HeaderSize + i * TimeEntrySize);
            int rel = BinaryPrimitives.ReadInt32LittleEndian(o);
            int pos = BinaryPrimitives.ReadInt32LittleEndian(o[4..]);
            long ts = BinaryPrimitives.ReadInt64LittleEndian(t);
            int trel = BinaryPrimitives.ReadInt32LittleEndian(t[8..]);
            if (trel != rel || rel <= prevRel || pos <= prevPos || ts < prevTs)
            {
                if (offTrailer is not null) { problem = $"entry {i} out of order"; return null; }
                break; // an unsealed index may end in a torn entry: keep the ordered prefix
            }
            index.Add(rel, pos, ts);
            prevRel = rel; prevPos = pos; prevTs = ts;
        }
        bool sealedBoth = offTrailer is not null && timeTrailer is not null && offCount == timeCount && index.Count == count;
        problem = "";
        return (index, sealedBoth ? offTrailer : null);
    }

    private static (byte[] Bytes, int Count, IndexTrailer? Trailer)? TryLoadOne(IFileSystem fs, string path, byte kind, long baseOffset, out string problem)
    {
        if (!fs.FileExists(path)) { problem = $"{Path.GetFileName(path)} is missing"; return null; }
        byte[] bytes;
        using (var f = fs.Open(path, create: false))
        {
            long len = f.Length;
            if (len > int.MaxValue) { problem = $"{path} is too large"; return null; }
            bytes = new byte[len];
            f.Read(bytes, 0);
        }
        int entrySize = EntrySize(kind);
        if (bytes.Length < HeaderSize
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic
            || bytes[5] != kind
            || BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(6)) != entrySize
            || BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)) != baseOffset)
        {
            problem = $"{path} has a bad header";
            return null;
        }
        if (bytes[4] != Version) { problem = $"{path} has unsupported index version {bytes[4]}"; return null; }
        int body = bytes.Length - HeaderSize;
        if (body >= TrailerSize && (body - TrailerSize) % entrySize == 0)
        {
            var t = bytes.AsSpan(bytes.Length - TrailerSize);
            int count = (body - TrailerSize) / entrySize;
            if (BinaryPrimitives.ReadUInt32LittleEndian(t) == TrailerMagic
                && BinaryPrimitives.ReadInt32LittleEndian(t[4..]) == count
                && BinaryPrimitives.ReadUInt32LittleEndian(t[32..]) == Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4)))
            {
                problem = "";
                return (bytes, count, new IndexTrailer(BinaryPrimitives.ReadInt64LittleEndian(t[8..]),
                    BinaryPrimitives.ReadInt64LittleEndian(t[16..]), BinaryPrimitives.ReadInt64LittleEndian(t[24..])));
            }
        }
        problem = "";
        return (bytes, body / entrySize, null);
    }
}
