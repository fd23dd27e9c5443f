using System.Diagnostics;
using Edge.Log.Format;
using Edge.Log.IO;
using Microsoft.Extensions.Logging;

namespace Edge.Log.Storage;

// A full disk (ENOSPC, EDQUOT) is not a failure of the partition (FORMAT.md §6, "Disk full"): nothing acknowledged
// is at risk — the group's tasks are pending and the high watermark has not moved — so the flusher undoes the
// partial write, asks the disk budget to free space, waits, and writes the same group again. Meanwhile appends queue
// up to MaxPendingBytesPerPartition and then wait (back-pressure), exactly as for a slow disk.
internal sealed partial class Partition
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(2);
    private long _diskFullSinceTicks;
    private int _diskFullAttempts;
    private TimeSpan _retryDelay;

    /// <summary>An active segment rolls before it grows past this: the topic's SegmentBytes, lowered by a small disk budget.</summary>
    private long SegmentLimit => Math.Min(Config.SegmentBytes, _pressure.SegmentLimit);

    /// <summary>Wakes the flusher if it waits for space (the budget freed some).</summary>
    internal void WakeForSpace()
    {
        lock (_appendLock) Monitor.PulseAll(_appendLock);
    }

    /// <summary>Writes one group, waiting and retrying while the disk is full (flusher thread only).</summary>
    private void WriteGroupWhenSpace(BatchBuilder builder, GroupCommit commit)
    {
        while (!TryWriteGroup(builder, commit)) { }
        if (_diskFullAttempts > 0)
        {
            var waited = Stopwatch.GetElapsedTime(_diskFullSinceTicks);
            _pressure.LeaveDiskFull(this);
            if (_failure is null)
                _log.LogWarning("{Topic}/{Partition}: disk space available again; wrote offsets {From}..{To} after {Attempts} attempts over {Seconds:F1} s",
                    Topic, Id, builder.BaseOffset, builder.LastOffset, _diskFullAttempts, waited.TotalSeconds);
            _diskFullAttempts = 0;
        }
    }

    /// <summary>
    /// A retry of a group whose batch was already appended (its sync or index write then hit ENOSPC): rewrites its
    /// bytes in place, which dirties those pages again so the next sync writes them (a failed fdatasync may have
    /// marked them clean), and returns the segment; null when the batch is not in the segment yet.
    /// </summary>
    private Segment? RewriteIfAppended(ReadOnlySpan<byte> batch, BatchBuilder builder)
    {
        var active = _segments[^1];
        if (_diskFullAttempts == 0 || active.NextOffset != builder.LastOffset + 1 || active.Size < batch.Length) return null;
        active.File.Write(batch, active.Size - batch.Length);
        return active;
    }

    /// <summary>
    /// Called by the flusher when writing a group threw. For a full disk: undoes a partial write, reports it (once per
    /// episode), asks the budget to free space, waits for it (or a growing back-off, as another program may free
    /// space too), and returns true so the group is written again. False for any other error, or when the log is
    /// closing: the caller's failure path handles it.
    /// </summary>
    private bool WaitForSpace(Exception e, BatchBuilder builder)
    {
        if (!DiskFull.Is(e)) return false;
        // Waiting for space is not a stuck writer (the watchdog's probe, Stall()): the budget or the operator frees it,
        // and a Block topic waits exactly as it does for admission. Each new attempt times itself again.
        Volatile.Write(ref _writeStartTicks, 0);
        long freedBefore = _pressure.SpaceFreedCount;
        var active = _segments[^1];
        try
        {
            // Bytes of a write that failed half-way lie past the segment's valid end: drop them, so the segment is
            // still batches back to back if it is sealed next (shrinking a file needs no space).
            if (active.File.Length > active.Size) active.File.SetLength(active.Size);
        }
        catch (IOException) { /* the next attempt overwrites them; recovery would truncate them */ }
        if (_diskFullAttempts++ == 0)
        {
            _diskFullSinceTicks = Stopwatch.GetTimestamp();
            _retryDelay = FirstRetry;
            _pressure.EnterDiskFull(this, _options.Time.GetUtcNow());
            _metrics.DiskFullWaits.Add(1, _topicTag);
            _log.LogWarning("{Topic}/{Partition}: disk full ({Error}) writing offsets {From}..{To}; {Action}",
                Topic, Id, e.Message, builder.BaseOffset, builder.LastOffset,
                Config.Overflow == OverflowPolicy.Block
                    ? "appends to this partition wait while the disk budget evicts the oldest segments of Evict topics"
                    : "evicting the oldest segments of Evict topics (lowest priority first) and retrying");
        }
        else
        {
            _pressure.RequestCheck();
        }
        var deadline = Stopwatch.GetTimestamp() + (long)(_retryDelay.TotalSeconds * Stopwatch.Frequency);
        _retryDelay = TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, _retryDelay.Ticks * 2));
        lock (_appendLock)
        {
            // Appends pulse this lock too; only space, a stop or the deadline end the wait.
            while (!_stopping && _pressure.SpaceFreedCount == freedBefore)
            {
                long left = deadline - Stopwatch.GetTimestamp();
                if (left <= 0) break;
                Monitor.Wait(_appendLock, TimeSpan.FromSeconds((double)left / Stopwatch.Frequency));
            }
            if (!_stopping) return true;
        }
        _pressure.LeaveDiskFull(this);
        _log.LogWarning("{Topic}/{Partition}: the log is closing while the disk is full: offsets {From}.. were never acknowledged and are not stored",
            Topic, Id, builder.BaseOffset);
        return false;
    }
}
