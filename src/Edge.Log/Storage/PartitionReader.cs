using Edge.Log.Format;
using Microsoft.Extensions.Logging;

namespace Edge.Log.Storage;

/// <summary>
/// Reads of one partition, each over a <see cref="PartitionSnapshot"/>: whole batches up to the durable mark, never a
/// record at or above the high watermark. Thread-safe; holds no state of its own beyond the ledger it reads.
/// </summary>
internal sealed class PartitionReader(string topic, int id, SegmentLedger ledger, ILogger log)
{
    private const int ReadSlack = 64 * 1024;

    // Chunk a scan reads at a time into its pooled buffer (a batch larger than this is read whole).
    private const int ScanChunk = 256 * 1024;

    /// <summary>A read over one snapshot; false when a segment was deleted under it (retention, compaction).</summary>
    public delegate bool SnapshotRead<T>(PartitionSnapshot snapshot, out T result);

    /// <summary>Runs <paramref name="read"/> on fresh snapshots until one holds still for the whole read.</summary>
    public T OnSnapshot<T>(SnapshotRead<T> read, string what, long offset)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (read(ledger.Snapshot(), out var result)) return result;
            if (attempt > 100) throw new LogException($"{topic}/{id}: segments kept changing {what} at offset {offset}");
        }
    }

    /// <summary>
    /// Reads whole batches from <paramref name="offset"/> until about <paramref name="maxBytes"/> bytes (at least one
    /// batch when any record is available). Thread-safe; never returns a record at or above the high watermark.
    /// </summary>
    public ReadResult Read(long offset, int maxBytes) => OnSnapshot((PartitionSnapshot snap, out ReadResult result) =>
    {
        long from = Math.Max(offset, snap.LogStart);
        if (from >= snap.HighWatermark)
        {
            result = new ReadResult([], Math.Max(from, Math.Min(offset, snap.HighWatermark)), snap.HighWatermark, snap.LogStart);
            return true;
        }
        var records = new List<LogRecord>();
        bool done = TryRead(snap, from, maxBytes, records, out long next);
        result = new ReadResult(records, next, snap.HighWatermark, snap.LogStart);
        return done;
    }, "under a read", offset);

    /// <summary>First offset whose record timestamp is ≥ <paramref name="timestamp"/>; null when none is durable yet.</summary>
    public long? OffsetForTimestamp(long timestamp)
    {
        var snap = ledger.Snapshot();
        foreach (var s in snap.Segments)
        {
            if (!s.TryAcquire()) continue;
            try
            {
                var index = GetIndex(s);
                if (s.MaxTimestamp < timestamp) continue;
                // A pooled, reused buffer and no record objects: every range query asks this twice.
                using var cursor = new BatchCursor(s, index.TimestampScanStart(timestamp), snap.Limit(s), ReadSlack, reuseBuffer: true);
                while (cursor.TryNext(out var batch, out var header))
                {
                    if (header.MaxTimestamp < timestamp) continue;
                    var it = new RecordIterator(batch.Span, header, s.LogPath, cursor.Position - header.Length);
                    while (it.MoveNext())
                        if (it.Timestamp >= timestamp && it.Offset < snap.HighWatermark) return it.Offset;
                }
            }
            finally
            {
                s.Release();
            }
        }
        return null;
    }

    /// <summary>
    /// Visits the durable records with offsets in [<paramref name="offset"/>, <paramref name="endOffset"/>) in order,
    /// without allocating per record or per chunk: batches are verified in one reused pooled buffer and records are
    /// handed over as spans. Stops when the visitor returns false. Returns the first offset not yet visited: after
    /// the visitor's last record, or the end (clamped to the high watermark), or the log start when
    /// <paramref name="offset"/> was evicted and the range lies entirely below it.
    /// </summary>
    public long Scan(long offset, long endOffset, IRecordVisitor visitor)
    {
        long next = offset; // a segment deleted under us restarts from the first offset not yet visited
        return OnSnapshot((PartitionSnapshot snap, out long result) =>
        {
            long end = Math.Min(endOffset, snap.HighWatermark);
            next = Math.Max(next, snap.LogStart);
            bool done = next >= end || TryScan(snap, end, visitor, ref next);
            result = next;
            return done;
        }, "under a scan", offset);
    }

    /// <summary>A segment's index, loaded on first use; a rebuild of a missing or damaged index is logged.</summary>
    public SparseIndex GetIndex(Segment s)
    {
        var index = s.GetIndex(out string? rebuilt);
        if (rebuilt is not null)
            log.LogWarning("{Topic}/{Partition}: rebuilt the index of {File}: {Problem}", topic, id, s.LogPath, rebuilt);
        return index;
    }

    private bool TryRead(PartitionSnapshot snap, long from, int maxBytes, List<LogRecord> records, out long next)
    {
        next = from;
        int first = snap.FindSegment(from);
        long bytes = 0;
        for (int i = first; i < snap.Segments.Length; i++)
        {
            var s = snap.Segments[i];
            if (snap.IsPastMark(s)) break; // rolled, but holds nothing durable yet
            if (!s.TryAcquire()) return false;
            try
            {
                long pos = i == first ? GetIndex(s).FloorPosition(from - s.BaseOffset) : 0;
                int chunk = (int)Math.Min(int.MaxValue / 2, Math.Max(maxBytes, 0) + ReadSlack);
                using var cursor = new BatchCursor(s, pos, snap.Limit(s), chunk);
                while (next < snap.HighWatermark && cursor.TryNext(out var batch, out var header))
                {
                    if (header.NextOffset <= next) continue;
                    int before = records.Count;
                    RecordDecoder.Decode(batch, header, id, next, records, s.LogPath, cursor.Position - header.Length);
                    // Records at or above the high watermark were appended after this read began.
                    while (records.Count > before && records[^1].Offset >= snap.HighWatermark) records.RemoveAt(records.Count - 1);
                    next = Math.Min(header.NextOffset, snap.HighWatermark);
                    bytes += header.Length;
                    if (bytes >= maxBytes && records.Count > 0) return true;
                }
                next = snap.PastGap(i, next, snap.HighWatermark);
            }
            finally
            {
                s.Release();
            }
        }
        // Every durable batch up to the mark has been read: the offsets left below the high watermark hold no record
        // (the page-cache lease gap of FORMAT.md §7.4, or the end of a compacted segment). Moving past them is what
        // keeps a caught-up reader from reading nothing at the same offset forever while "data" is available.
        next = snap.HighWatermark;
        return true;
    }

    private bool TryScan(PartitionSnapshot snap, long end, IRecordVisitor visitor, ref long next)
    {
        int first = snap.FindSegment(next);
        for (int i = first; i < snap.Segments.Length && next < end; i++)
        {
            var s = snap.Segments[i];
            if (snap.IsPastMark(s)) break; // rolled, but holds nothing durable yet
            if (!s.TryAcquire()) return false;
            try
            {
                long pos = i == first ? GetIndex(s).FloorPosition(next - s.BaseOffset) : 0;
                using var cursor = new BatchCursor(s, pos, snap.Limit(s), ScanChunk, reuseBuffer: true);
                while (next < end && cursor.TryNext(out var batch, out var header))
                {
                    if (header.NextOffset <= next) continue;
                    var it = new RecordIterator(batch.Span, header, s.LogPath, cursor.Position - header.Length);
                    while (it.MoveNext())
                    {
                        if (it.Offset < next) continue;
                        if (it.Offset >= end)
                        {
                            next = end;
                            return true;
                        }
                        next = it.Offset + 1;
                        if (!visitor.Visit(it.View)) return true;
                    }
                    next = Math.Min(header.NextOffset, end);
                }
                next = snap.PastGap(i, next, end);
            }
            finally
            {
                s.Release();
            }
        }
        // Every durable record below the end was visited: what is left up to it is a gap (the lease gap, FORMAT.md §7.4).
        next = Math.Max(next, end);
        return true;
    }
}
