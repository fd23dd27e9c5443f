using Edge.Log.Format;

namespace Edge.Log.Storage;

internal sealed partial class Partition
{
    // Chunk a scan reads at a time into its pooled buffer (a batch larger than this is read whole).
    private const int ScanChunk = 256 * 1024;

    /// <summary>
    /// Visits the durable records with offsets in [<paramref name="offset"/>, <paramref name="endOffset"/>) in order,
    /// without allocating per record or per chunk: batches are verified in one reused pooled buffer and records are
    /// handed over as spans. Stops when the visitor returns false. Returns the first offset not yet visited: after
    /// the visitor's last record, or the end (clamped to the high watermark), or the log start when
    /// <paramref name="offset"/> was evicted and the range lies entirely below it.
    /// </summary>
    public long Scan(long offset, long endOffset, IRecordVisitor visitor)
    {
        long next = offset;
        for (int attempt = 0; ; attempt++)
        {
            var mark = Volatile.Read(ref _durable);
            var segments = Volatile.Read(ref _segments);
            long end = Math.Min(endOffset, mark.HighWatermark);
            next = Math.Max(next, segments[0].BaseOffset);
            if (next >= end) return next;
            // A segment deleted under us (retention, compaction) restarts from the first offset not yet visited.
            if (TryScanSnapshot(segments, mark, end, visitor, ref next)) return next;
            if (attempt > 100) throw new LogException($"{Topic}/{Id}: segments kept changing under a scan at offset {next}");
        }
    }

    private bool TryScanSnapshot(Segment[] segments, DurableMark mark, long end, IRecordVisitor visitor, ref long next)
    {
        int first = FindSegment(segments, next);
        for (int i = first; i < segments.Length && next < end; i++)
        {
            var s = segments[i];
            if (s.BaseOffset > mark.Segment.BaseOffset) break; // rolled, but holds nothing durable yet
            if (!s.TryAcquire()) return false;
            try
            {
                long pos = i == first ? GetIndex(s).FloorPosition(next - s.BaseOffset) : 0;
                using var cursor = new BatchCursor(s, pos, Limit(s, mark), ScanChunk, reuseBuffer: true);
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
                // Offsets between this segment's last record and the next segment's base do not exist (compaction or a lease gap).
                if (s != mark.Segment && i + 1 < segments.Length && segments[i + 1].BaseOffset > next)
                    next = Math.Min(segments[i + 1].BaseOffset, end);
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
