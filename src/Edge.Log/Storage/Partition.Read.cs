using Edge.Log.Format;
using Microsoft.Extensions.Logging;

namespace Edge.Log.Storage;

internal sealed partial class Partition
{
    private const int ReadSlack = 64 * 1024;

    /// <summary>
    /// Reads whole batches from <paramref name="offset"/> until about <paramref name="maxBytes"/> bytes (at least one
    /// batch when any record is available). Thread-safe; never returns a record at or above the high watermark.
    /// </summary>
    public ReadResult Read(long offset, int maxBytes)
    {
        for (int attempt = 0; ; attempt++)
        {
            var mark = Volatile.Read(ref _durable);
            var segments = Volatile.Read(ref _segments);
            long logStart = segments[0].BaseOffset;
            long from = Math.Max(offset, logStart);
            if (from >= mark.HighWatermark)
                return new ReadResult([], Math.Max(from, Math.Min(offset, mark.HighWatermark)), mark.HighWatermark, logStart);
            var records = new List<LogRecord>();
            if (TryReadSnapshot(segments, mark, from, maxBytes, records, out long next))
                return new ReadResult(records, next, mark.HighWatermark, logStart);
            if (attempt > 100) throw new LogException($"{Topic}/{Id}: segments kept changing under a read at offset {offset}");
        }
    }

    /// <summary>First offset whose record timestamp is ≥ <paramref name="timestamp"/>; null when none is durable yet.</summary>
    public long? OffsetForTimestamp(long timestamp)
    {
        var mark = Volatile.Read(ref _durable);
        foreach (var s in Volatile.Read(ref _segments))
        {
            if (!s.TryAcquire()) continue;
            try
            {
                var index = GetIndex(s);
                if (s.MaxTimestamp < timestamp) continue;
                // A pooled, reused buffer and no record objects: every range query asks this twice.
                using var cursor = new BatchCursor(s, index.TimestampScanStart(timestamp), Limit(s, mark), ReadSlack, reuseBuffer: true);
                while (cursor.TryNext(out var batch, out var header))
                {
                    if (header.MaxTimestamp < timestamp) continue;
                    var it = new RecordIterator(batch.Span, header, s.LogPath, cursor.Position - header.Length);
                    while (it.MoveNext())
                        if (it.Timestamp >= timestamp && it.Offset < mark.HighWatermark) return it.Offset;
                }
            }
            finally
            {
                s.Release();
            }
        }
        return null;
    }

    private bool TryReadSnapshot(Segment[] segments, DurableMark mark, long from, int maxBytes, List<LogRecord> records, out long next)
    {
        next = from;
        int first = FindSegment(segments, from);
        long bytes = 0;
        for (int i = first; i < segments.Length; i++)
        {
            var s = segments[i];
            if (s.BaseOffset > mark.Segment.BaseOffset) break; // rolled, but holds nothing durable yet
            if (!s.TryAcquire()) return false;
            try
            {
                long pos = i == first ? GetIndex(s).FloorPosition(from - s.BaseOffset) : 0;
                int chunk = (int)Math.Min(int.MaxValue / 2, Math.Max(maxBytes, 0) + ReadSlack);
                using var cursor = new BatchCursor(s, pos, Limit(s, mark), chunk);
                while (next < mark.HighWatermark && cursor.TryNext(out var batch, out var header))
                {
                    if (header.NextOffset <= next) continue;
                    int before = records.Count;
                    RecordDecoder.Decode(batch, header, Id, next, records, s.LogPath, cursor.Position - header.Length);
                    // Records at or above the high watermark were appended after this read began.
                    while (records.Count > before && records[^1].Offset >= mark.HighWatermark) records.RemoveAt(records.Count - 1);
                    next = Math.Min(header.NextOffset, mark.HighWatermark);
                    bytes += header.Length;
                    if (bytes >= maxBytes && records.Count > 0) return true;
                }
                // Offsets between this segment's last record and the next segment's base do not exist (compaction or a lease gap).
                if (s != mark.Segment && i + 1 < segments.Length && segments[i + 1].BaseOffset > next)
                    next = Math.Min(segments[i + 1].BaseOffset, mark.HighWatermark);
            }
            finally
            {
                s.Release();
            }
        }
        // Every durable batch up to the mark has been read: the offsets left below the high watermark hold no record
        // (the page-cache lease gap of FORMAT.md §7.4, or the end of a compacted segment). Moving past them is what
        // keeps a caught-up reader from reading nothing at the same offset forever while "data" is available.
        next = mark.HighWatermark;
        return true;
    }

    private static int FindSegment(Segment[] segments, long offset)
    {
        int lo = 0, hi = segments.Length - 1, best = 0;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (segments[mid].BaseOffset <= offset) { best = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return best;
    }

    private static long Limit(Segment s, DurableMark mark) =>
        s == mark.Segment ? mark.Size : s.BaseOffset > mark.Segment.BaseOffset ? 0 : s.Size;

    /// <summary>A segment's index, loaded on first use; a rebuild of a missing or damaged index is logged.</summary>
    internal SparseIndex GetIndex(Segment s)
    {
        var index = s.GetIndex(out string? rebuilt);
        if (rebuilt is not null)
            _log.LogWarning("{Topic}/{Partition}: rebuilt the index of {File}: {Problem}", Topic, Id, s.LogPath, rebuilt);
        return index;
    }
}
