using System.Diagnostics;
using Edge.Log.Format;
using Edge.Log.IO;
using Microsoft.Extensions.Logging;

namespace Edge.Log.Storage;

/// <summary>
/// The single writer of a partition: one flusher thread, started here and joined in <see cref="Dispose"/>, takes one
/// closed group at a time from the <see cref="AppendQueue"/>, writes it as one batch, syncs it (one fdatasync per
/// group: the group commit), publishes the new durable mark to the <see cref="SegmentLedger"/> and completes the
/// group. It rolls segments, extends the offset lease of page-cache topics, waits out a full disk
/// (<see cref="DiskFullRetry"/>) and stops the partition after any other write failure (FORMAT.md §6).
/// </summary>
internal sealed class PartitionWriter : IDisposable
{
    // The active segment's index entries are written out once they cover this much log, not after every sync: each
    // write of 20 bytes of entries dirties a page of both index files, and on a quiet partition every one of those
    // reaches the SD card as a page rewrite of its own (FORMAT.md §6.2). Recovery scans at most this much more (§9).
    private const long IndexPersistBytes = 64 * 1024;

    private readonly PartitionContext _p;
    private readonly AppendQueue _queue;
    private readonly SegmentLedger _ledger;
    private readonly OffsetLease _lease;
    private readonly DiskFullRetry _diskFull;
    private readonly Action<PartitionFailedException> _onFailure;
    private readonly KeyValuePair<string, object?> _topicTag;
    private readonly Thread _flusher;
    private long _writeStartTicks; // Stopwatch ticks when the flusher began the group it is writing; 0 while idle

    /// <param name="onFailure">Called once, on the flusher thread, when the partition stops after a write failure.</param>
    public PartitionWriter(PartitionContext p, AppendQueue queue, SegmentLedger ledger, OffsetLease lease, DiskPressure pressure,
        Action<PartitionFailedException> onFailure)
    {
        (_p, _queue, _ledger, _lease, _onFailure) = (p, queue, ledger, lease, onFailure);
        _topicTag = new("topic", p.Topic);
        _diskFull = new DiskFullRetry(this, p, queue, ledger, pressure);
        _flusher = new Thread(FlushLoop) { IsBackground = true, Name = $"edge-log-flush {p.Topic}/{p.Id}" };
        _flusher.Start();
    }

    public string Topic => _p.Topic;

    public int Id => _p.Id;

    /// <summary>Wakes the flusher if it waits for space (the budget freed some).</summary>
    public void WakeForSpace() => _queue.Wake();

    /// <summary>
    /// What keeps this partition's writer from progress, and for how long; null while it keeps up (no I/O: the
    /// liveness probe of <see cref="EdgeLog.FindStalledWriter"/>). A write or sync running, or a group waiting past its
    /// MaxInterval while the writer is idle, counts from when it should have been done.
    /// </summary>
    public WriterStall? Stall()
    {
        long now = Stopwatch.GetTimestamp();
        long writing = Volatile.Read(ref _writeStartTicks);
        if (writing != 0)
            return new WriterStall(Topic, Id, Stopwatch.GetElapsedTime(writing, now), "a group's write and fdatasync have not returned");
        var (failure, stopping, due) = _queue.Health();
        if (failure is not null) return new WriterStall(Topic, Id, TimeSpan.MaxValue, $"stopped after a write failure: {failure.Message}");
        if (stopping) return null;
        if (!_flusher.IsAlive) return new WriterStall(Topic, Id, TimeSpan.MaxValue, "its flusher thread has ended");
        // A group is picked up as soon as it is closed or due; one still waiting past that means the writer is not turning over.
        if (due is { } dueTicks && now > dueTicks)
            return new WriterStall(Topic, Id, Stopwatch.GetElapsedTime(dueTicks, now), "a group is overdue for its write");
        return null;
    }

    private void FlushLoop()
    {
        while (_queue.TakeGroup(out var builder, out var commit))
        {
            int bytes = builder.SizeInBytes;
            if (_queue.Failure is null) WriteGroupWhenSpace(builder, commit);
            else commit.Fail(_queue.ClosedError());
            Volatile.Write(ref _writeStartTicks, 0);
            _queue.Written(builder, bytes);
        }
    }

    /// <summary>Writes one group, waiting and retrying while the disk is full (flusher thread only).</summary>
    private void WriteGroupWhenSpace(BatchBuilder builder, GroupCommit commit)
    {
        while (!TryWriteGroup(builder, commit)) { }
        _diskFull.Written(builder);
    }

    // True when done (written, or failed for good); false to write the same group again after a full disk freed up.
    private bool TryWriteGroup(BatchBuilder builder, GroupCommit commit)
    {
        long start = Stopwatch.GetTimestamp();
        Volatile.Write(ref _writeStartTicks, start); // the liveness probe times this attempt's write and fdatasync
        try
        {
            var batch = builder.Seal();
            var active = _diskFull.RewriteIfAppended(batch.Span, builder);
            if (active is null)
            {
                active = MaybeRoll(batch.Length, builder.BaseOffset, builder.LastOffset);
                active.Append(batch.Span, builder.BaseOffset, builder.LastOffset + 1, builder.MaxTimestamp);
            }
            if (_p.Config.Flush.Sync)
            {
                active.Sync();
                active.PersistIndexEntries(IndexPersistBytes);
            }
            else if (builder.LastOffset >= _lease.End)
            {
                // Page-cache mode hands out offsets before they are durable: reserve them durably first.
                _lease.Extend(builder.LastOffset + 1 + _p.Options.OffsetLeaseSize);
            }
            _ledger.Publish(new DurableMark(active, active.Size, builder.LastOffset + 1));
            commit.Succeed();
            _p.Metrics.RecordsAppended.Add(builder.Count, _topicTag);
            _p.Metrics.BytesAppended.Add(batch.Length, _topicTag);
            _p.Metrics.FlushDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, _topicTag);
            return true;
        }
        catch (Exception e) when (WaitForSpace(e, builder))
        {
            return false; // a full disk: DiskFullRetry
        }
        catch (Exception e)
        {
            // After a failed write or fdatasync the file's state is unknown (fsync errors are not retryable on
            // Linux): stop this partition; reopening runs recovery, which keeps exactly the valid prefix. Whatever
            // the exception, it must not escape: this is a dedicated thread and would take the process down.
            _p.Log.LogCritical(e, "{Topic}/{Partition}: write failed at offset {Offset}; the partition stops accepting appends", Topic, Id, builder.BaseOffset);
            List<GroupCommit> failed = [commit, .. _queue.Fail(e)];
            var error = new PartitionFailedException(Topic, Id, e);
            foreach (var c in failed) c.Fail(error);
            _onFailure(error);
            return true;
        }
    }

    // Waiting for space is not a stuck writer (the watchdog's probe, Stall()): the budget or the operator frees it,
    // and a Block topic waits exactly as it does for admission. Each new attempt times itself again.
    private bool WaitForSpace(Exception e, BatchBuilder builder)
    {
        if (!DiskFull.Is(e)) return false;
        Volatile.Write(ref _writeStartTicks, 0);
        return _diskFull.WaitForSpace(e, builder);
    }

    private Segment MaybeRoll(int batchBytes, long baseOffset, long lastOffset)
    {
        var active = _ledger.Active;
        bool full = active.Size > 0 && active.Size + batchBytes > _diskFull.SegmentLimit;
        bool old = active.Size > 0 && _p.Time.GetUtcNow() - active.OpenedAt > _p.Config.SegmentMaxAge;
        bool offsetsOverflow = lastOffset - active.BaseOffset > int.MaxValue;
        bool rollInterrupted = active.IndexWritersClosed; // a roll that hit a full disk after sealing the indexes: finish it
        if (!full && !old && !offsetsOverflow && !rollInterrupted) return active;
        return Roll(active, baseOffset);
    }

    /// <summary>Seals the active segment and starts a new one at the next offset (flusher thread only).</summary>
    private Segment Roll(Segment active, long baseOffset)
    {
        active.WriteSealedIndexes(markSealed: true);
        var next = Segment.Create(_p.FileSystem, _p.Directory, baseOffset, _p.Options.IndexIntervalBytes, _p.Time.GetUtcNow());
        _p.FileSystem.SyncDirectory(_p.Directory);
        _ledger.Replace(s => [.. s, next]);
        return next;
    }

    /// <summary>
    /// Stops the flusher after it has written everything appended, fails the appends still waiting for admission,
    /// writes the active segment's clean-shutdown indexes (FORMAT.md §5.3) and releases the lease. The segment files
    /// stay open: they are the ledger's.
    /// </summary>
    public void Dispose()
    {
        if (!_queue.Stop()) return;
        _flusher.Join();
        _queue.FailWaiters();
        try
        {
            if (_queue.Failure is null) _ledger.Active.WriteSealedIndexes(markSealed: false);
        }
        catch (IOException e)
        {
            _p.Log.LogWarning(e, "{Topic}/{Partition}: could not write the clean-shutdown index; the next open will validate the tail", Topic, Id);
        }
        _lease.Dispose();
    }
}
