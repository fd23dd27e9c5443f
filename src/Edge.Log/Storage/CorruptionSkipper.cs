using System.Buffers;
using Edge.Log.Format;
using Microsoft.Extensions.Logging;

namespace Edge.Log.Storage;

/// <summary>
/// Steps a partition's readers over corrupt bytes (FORMAT.md §7.5) by quarantining them in the segment, which every
/// later read of that segment skips. Thread-safe; changes nothing on disk.
/// </summary>
internal sealed class CorruptionSkipper(string topic, int id, PartitionReader reader, ILogger log)
{
    // Chunk the resynchronising search reads at a time.
    private const int ResyncChunk = 1 << 20;

    // The cursor's read-ahead while checking batches for corruption.
    private const int CheckChunk = 64 * 1024;

    /// <summary>
    /// Finds the first corrupt batch a read at <paramref name="offset"/> meets and steps over it: searches the
    /// segment's following bytes for the next valid batch (magic, header and CRC-32C all check out), quarantines the
    /// bytes in between so every reader of this partition skips them from now on, and returns the offsets lost. Null
    /// when a read from <paramref name="offset"/> to the high watermark meets no corruption.
    /// </summary>
    public CorruptRange? SkipCorrupt(long offset) => reader.OnSnapshot((PartitionSnapshot snap, out CorruptRange? range) =>
    {
        range = null;
        long next = Math.Max(offset, snap.LogStart);
        return next >= snap.HighWatermark || TrySkip(snap, next, out range);
    }, "while skipping corrupt bytes", offset);

    private bool TrySkip(PartitionSnapshot snap, long next, out CorruptRange? range)
    {
        range = null;
        var segments = snap.Segments;
        var mark = snap.Mark;
        int first = snap.FindSegment(next);
        for (int i = first; i < segments.Length && next < mark.HighWatermark; i++)
        {
            var s = segments[i];
            if (snap.IsPastMark(s)) break;
            if (!s.TryAcquire()) return false;
            try
            {
                long limit = snap.Limit(s);
                long pos = i == first ? reader.GetIndex(s).FloorPosition(next - s.BaseOffset) : 0;
                using var cursor = new BatchCursor(s, pos, limit, CheckChunk, reuseBuffer: true);
                long bad;
                string reason;
                while (true)
                {
                    long at = -1; // the batch being decoded, once its CRC held
                    try
                    {
                        if (!cursor.TryNext(out var batch, out var header)) break;
                        at = cursor.Position - header.Length;
                        // The batch's CRC holds; its records' framing is checked as a read would (FORMAT.md §4.3).
                        var it = new RecordIterator(batch.Span, header, s.LogPath, at);
                        while (it.MoveNext()) { }
                        if (header.NextOffset > next) next = Math.Min(header.NextOffset, mark.HighWatermark);
                        continue;
                    }
                    catch (CorruptRecordException e)
                    {
                        // The cursor names the bad batch's start; a framing error names a byte inside the batch at `at`.
                        bad = at >= 0 ? at : e.Position;
                        reason = e.Reason;
                    }
                    // Resynchronise: the next valid batch after the bad one's first byte, else the segment's end.
                    var (resume, resumeBase) = FindNextValidBatch(s, bad + 1, limit);
                    long nextOffset = resumeBase is { } b ? Math.Max(next, b)
                        : s != mark.Segment && i + 1 < segments.Length ? Math.Min(Math.Max(next, segments[i + 1].BaseOffset), mark.HighWatermark)
                        : mark.HighWatermark;
                    s.Quarantine.Add(bad, resume);
                    range = new CorruptRange(next, nextOffset, s.LogPath, bad, resume - bad, reason);
                    log.LogWarning("{Topic}/{Partition}: {Range}", topic, id, range);
                    return true;
                }
                next = snap.PastGap(i, next, mark.HighWatermark);
            }
            finally
            {
                s.Release();
            }
        }
        return true;
    }

    // The first position in [from, limit) where a whole valid batch starts, and its base offset; (limit, null) when none.
    // A CRC-32C over the whole batch makes a false match in corrupt bytes about a 2^-32 chance per candidate header.
    private static (long Position, long? BaseOffset) FindNextValidBatch(Segment s, long from, long limit)
    {
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ResyncChunk);
        try
        {
            for (long start = from; start < limit; start += ResyncChunk)
            {
                int n = s.File.Read(chunk.AsSpan(0, (int)Math.Min(ResyncChunk, limit - start)), start);
                if (n <= 0) break;
                for (int j = chunk.AsSpan(0, n).IndexOf(BatchHeader.Magic); j >= 0;)
                {
                    long candidate = start + j;
                    if (IsValidBatchAt(s, candidate, limit, out long baseOffset)) return (candidate, baseOffset);
                    int k = chunk.AsSpan(j + 1, n - j - 1).IndexOf(BatchHeader.Magic);
                    j = k < 0 ? -1 : j + 1 + k;
                }
            }
            return (limit, null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static bool IsValidBatchAt(Segment s, long position, long limit, out long baseOffset)
    {
        baseOffset = -1;
        Span<byte> head = stackalloc byte[BatchHeader.Size];
        long left = limit - position;
        if (left < BatchHeader.Overhead || s.File.Read(head, position) < BatchHeader.Size) return false;
        if (BatchValidator.CheckHeader(head, left, FormatLimits.MaxBatchBytes, out var header, out _) != BatchStatus.Valid) return false;
        if (header.BaseOffset < s.BaseOffset) return false;
        byte[] batch = ArrayPool<byte>.Shared.Rent(header.Length);
        try
        {
            if (s.File.Read(batch.AsSpan(0, header.Length), position) < header.Length) return false;
            if (BatchValidator.CheckBody(batch.AsSpan(0, header.Length), header, out _) != BatchStatus.Valid) return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
        }
        baseOffset = header.BaseOffset;
        return true;
    }
}
