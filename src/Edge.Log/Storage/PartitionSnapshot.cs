namespace Edge.Log.Storage;

/// <summary>
/// An immutable view of a partition for one read: its segments and its durable mark as they were together. A segment
/// retention or compaction deletes meanwhile fails <see cref="Segment.TryAcquire"/>, and the read starts again on a
/// fresh snapshot.
/// </summary>
internal readonly record struct PartitionSnapshot(Segment[] Segments, DurableMark Mark)
{
    public long LogStart => Segments[0].BaseOffset;

    public long HighWatermark => Mark.HighWatermark;

    /// <summary>Index of the segment holding <paramref name="offset"/>: the last whose base offset is not above it.</summary>
    public int FindSegment(long offset)
    {
        int lo = 0, hi = Segments.Length - 1, best = 0;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (Segments[mid].BaseOffset <= offset) { best = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return best;
    }

    /// <summary>A segment rolled after the mark was taken: it holds nothing durable yet.</summary>
    public bool IsPastMark(Segment s) => s.BaseOffset > Mark.Segment.BaseOffset;

    /// <summary>Bytes of <paramref name="s"/> a reader may read: up to the mark in the mark's segment, all of an older one.</summary>
    public long Limit(Segment s) => s == Mark.Segment ? Mark.Size : IsPastMark(s) ? 0 : s.Size;

    /// <summary>
    /// After segment <paramref name="i"/> is read up to <paramref name="next"/>: the offsets between its last record and
    /// the next segment's base do not exist (compaction or a lease gap), so the read moves on to that base, up to <paramref name="end"/>.
    /// </summary>
    public long PastGap(int i, long next, long end) =>
        Segments[i] != Mark.Segment && i + 1 < Segments.Length && Segments[i + 1].BaseOffset > next
            ? Math.Min(Segments[i + 1].BaseOffset, end)
            : next;
}
