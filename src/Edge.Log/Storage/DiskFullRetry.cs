using System.Diagnostics;
using Edge.Log.Format;
using Microsoft.Extensions.Logging;

namespace Edge.Log.Storage;

/// <summary>
/// A partition writer's handling of a full disk (ENOSPC, EDQUOT), which is not a failure of the partition (FORMAT.md §6,
/// "Disk full"): nothing acknowledged is at risk — the group's tasks are pending and the high watermark has not moved —
/// so the writer undoes the partial write, asks the disk budget to free space, waits, and writes the same group again.
/// Meanwhile appends queue up to MaxPendingBytesPerPartition and then wait (back-pressure), exactly as for a slow disk.
/// Flusher thread only, except <see cref="SegmentLimit"/>.
/// </summary>
internal sealed class DiskFullRetry(PartitionWriter writer, PartitionContext p, AppendQueue queue, SegmentLedger ledger, DiskPressure pressure)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(2);
    private readonly KeyValuePair<string, object?> _topicTag = new("topic", p.Topic);
    private long _sinceTicks;
    private int _attempts;
    private TimeSpan _retryDelay;

    /// <summary>An active segment rolls before it grows past this: the topic's SegmentBytes, lowered by a small disk budget.</summary>
    public long SegmentLimit => Math.Min(p.Config.SegmentBytes, pressure.SegmentLimit);

    /// <summary>After a group is done: ends a disk-full episode it was part of, reporting how long it lasted.</summary>
    public void Written(BatchBuilder builder)
    {
        if (_attempts == 0) return;
        var waited = Stopwatch.GetElapsedTime(_sinceTicks);
        pressure.LeaveDiskFull(writer);
        if (queue.Failure is null)
            p.Log.LogWarning("{Topic}/{Partition}: disk space available again; wrote offsets {From}..{To} after {Attempts} attempts over {Seconds:F1} s",
                p.Topic, p.Id, builder.BaseOffset, builder.LastOffset, _attempts, waited.TotalSeconds);
        _attempts = 0;
    }

    /// <summary>
    /// A retry of a group whose batch was already appended (its sync or index write then hit ENOSPC): rewrites its
    /// bytes in place, which dirties those pages again so the next sync writes them (a failed fdatasync may have
    /// marked them clean), and returns the segment; null when the batch is not in the segment yet.
    /// </summary>
    public Segment? RewriteIfAppended(ReadOnlySpan<byte> batch, BatchBuilder builder)
    {
        var active = ledger.Active;
        if (_attempts == 0 || active.NextOffset != builder.LastOffset + 1 || active.Size < batch.Length) return null;
        active.File.Write(batch, active.Size - batch.Length);
        return active;
    }

    /// <summary>
    /// Called by the writer when writing a group hit a full disk: undoes a partial write, reports it (once per
    /// episode), asks the budget to free space, waits for it (or a growing back-off, as another program may free
    /// space too), and returns true so the group is written again. False when the log is closing: the writer's
    /// failure path handles it.
    /// </summary>
    public bool WaitForSpace(Exception e, BatchBuilder builder)
    {
        long freedBefore = pressure.SpaceFreedCount;
        var active = ledger.Active;
        try
        {
            // Bytes of a write that failed half-way lie past the segment's valid end: drop them, so the segment is
            // still batches back to back if it is sealed next (shrinking a file needs no space).
            if (active.File.Length > active.Size) active.File.SetLength(active.Size);
        }
        catch (IOException) { /* the next attempt overwrites them; recovery would truncate them */ }
        if (_attempts++ == 0)
        {
            _sinceTicks = Stopwatch.GetTimestamp();
            _retryDelay = FirstRetry;
            pressure.EnterDiskFull(writer, p.Time.GetUtcNow());
            p.Metrics.DiskFullWaits.Add(1, _topicTag);
            p.Log.LogWarning("{Topic}/{Partition}: disk full ({Error}) writing offsets {From}..{To}; {Action}",
                p.Topic, p.Id, e.Message, builder.BaseOffset, builder.LastOffset,
                p.Config.Overflow == OverflowPolicy.Block
                    ? "appends to this partition wait while the disk budget evicts the oldest segments of Evict topics"
                    : "evicting the oldest segments of Evict topics (lowest priority first) and retrying");
        }
        else
        {
            pressure.RequestCheck();
        }
        var deadline = Stopwatch.GetTimestamp() + (long)(_retryDelay.TotalSeconds * Stopwatch.Frequency);
        _retryDelay = TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, _retryDelay.Ticks * 2));
        // Only space, a stop or the deadline end the wait.
        if (queue.WaitForSpace(deadline, () => pressure.SpaceFreedCount != freedBefore)) return true;
        pressure.LeaveDiskFull(writer);
        p.Log.LogWarning("{Topic}/{Partition}: the log is closing while the disk is full: offsets {From}.. were never acknowledged and are not stored",
            p.Topic, p.Id, builder.BaseOffset);
        return false;
    }
}
