using System.Diagnostics;
using Edge.Log.Format;
using Microsoft.Extensions.Logging;

namespace Edge.Log.Storage;

internal sealed partial class Partition
{
    // The active segment's index entries are written out once they cover this much log, not after every sync: each
    // write of 20 bytes of entries dirties a page of both index files, and on a quiet partition every one of those
    // reaches the SD card as a page rewrite of its own (FORMAT.md §6.2). Recovery scans at most this much more (§9).
    private const long IndexPersistBytes = 64 * 1024;

    private long _writeStartTicks; // Stopwatch ticks when the flusher began the group it is writing; 0 while idle

    // The single writer of this partition: takes one closed group at a time, writes it as one batch, syncs it
    // (one fdatasync per group: the group commit), then publishes the new high watermark and completes the group.
    private void FlushLoop()
    {
        while (true)
        {
            BatchBuilder builder;
            GroupCommit commit;
            lock (_appendLock)
            {
                while (true)
                {
                    if (_closedGroups.Count > 0)
                    {
                        (builder, commit) = _closedGroups.Dequeue();
                        break;
                    }
                    if (_open.Count > 0)
                    {
                        long left = _openDueTicks - Stopwatch.GetTimestamp();
                        if (_stopping || left <= 0 || _waiters.Count > 0 || _flushRequests > 0)
                        {
                            CloseOpenGroupLocked();
                            continue;
                        }
                        Monitor.Wait(_appendLock, TimeSpan.FromTicks(Math.Max(1, left * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
                        continue;
                    }
                    if (_stopping || _failure is not null) return;
                    Monitor.Wait(_appendLock);
                }
            }

            int bytes = builder.SizeInBytes;
            if (_failure is null) WriteGroupWhenSpace(builder, commit);
            else commit.Fail(ClosedError());
            Volatile.Write(ref _writeStartTicks, 0);
            lock (_appendLock)
            {
                if (_failure is null) _pendingBytes -= bytes - BatchHeader.Overhead;
                _builderPool.Push(builder);
                WakeWaitersLocked();
            }
        }
    }

    /// <summary>
    /// What keeps this partition's writer from progress, and for how long; null while it keeps up (no I/O: the
    /// liveness probe of <see cref="EdgeLog.FindStalledWriter"/>). A write or sync running, or a group waiting past its
    /// MaxInterval while the writer is idle, counts from when it should have been done.
    /// </summary>
    internal WriterStall? Stall()
    {
        long now = Stopwatch.GetTimestamp();
        long writing = Volatile.Read(ref _writeStartTicks);
        if (writing != 0)
            return new WriterStall(Topic, Id, Stopwatch.GetElapsedTime(writing, now), "a group's write and fdatasync have not returned");
        lock (_appendLock)
        {
            if (_failure is not null) return new WriterStall(Topic, Id, TimeSpan.MaxValue, $"stopped after a write failure: {_failure.Message}");
            if (_stopping) return null;
            if (!_flusher.IsAlive) return new WriterStall(Topic, Id, TimeSpan.MaxValue, "its flusher thread has ended");
            // A group is picked up as soon as it is closed or due; one still waiting past that means the writer is not turning over.
            if (_open.Count > 0 && now > _openDueTicks)
                return new WriterStall(Topic, Id, Stopwatch.GetElapsedTime(_openDueTicks, now), "a group is overdue for its write");
        }
        return null;
    }

    // True when done (written, or failed for good); false to write the same group again after a full disk freed up.
    private bool TryWriteGroup(BatchBuilder builder, GroupCommit commit)
    {
        long start = Stopwatch.GetTimestamp();
        Volatile.Write(ref _writeStartTicks, start); // the liveness probe times this attempt's write and fdatasync
        try
        {
            var batch = builder.Seal();
            var active = RewriteIfAppended(batch.Span, builder);
            if (active is null)
            {
                active = MaybeRoll(batch.Length, builder.BaseOffset, builder.LastOffset);
                active.Append(batch.Span, builder.BaseOffset, builder.LastOffset + 1, builder.MaxTimestamp);
            }
            if (Config.Flush.Sync)
            {
                active.Sync();
                active.PersistIndexEntries(IndexPersistBytes);
            }
            else if (builder.LastOffset >= _lease.End)
            {
                // Page-cache mode hands out offsets before they are durable: reserve them durably first.
                _lease.Extend(builder.LastOffset + 1 + _options.OffsetLeaseSize);
            }
            Publish(new DurableMark(active, active.Size, builder.LastOffset + 1));
            commit.Succeed();
            _metrics.RecordsAppended.Add(builder.Count, _topicTag);
            _metrics.BytesAppended.Add(batch.Length, _topicTag);
            _metrics.FlushDuration.Record(Stopwatch.GetElapsedTime(start).TotalMilliseconds, _topicTag);
            return true;
        }
        catch (Exception e) when (WaitForSpace(e, builder))
        {
            return false; // a full disk: Partition.DiskFull.cs
        }
        catch (Exception e)
        {
            // After a failed write or fdatasync the file's state is unknown (fsync errors are not retryable on
            // Linux): stop this partition; reopening runs recovery, which keeps exactly the valid prefix. Whatever
            // the exception, it must not escape: this is a dedicated thread and would take the process down.
            _log.LogCritical(e, "{Topic}/{Partition}: write failed at offset {Offset}; the partition stops accepting appends", Topic, Id, builder.BaseOffset);
            List<GroupCommit> failed = [commit];
            lock (_appendLock)
            {
                _failure = e;
                while (_closedGroups.Count > 0) failed.Add(_closedGroups.Dequeue().Commit);
                if (_openCommit is not null && _open.Count > 0) failed.Add(_openCommit);
                _open.Reset(_nextOffset);
                _openCommit = null;
                _pendingBytes = 0;
                WakeWaitersLocked();
            }
            var error = new PartitionFailedException(Topic, Id, e);
            foreach (var c in failed) c.Fail(error);
            _onFailure(error);
            return true;
        }
    }

    private Segment MaybeRoll(int batchBytes, long baseOffset, long lastOffset)
    {
        var active = _segments[^1];
        bool full = active.Size > 0 && active.Size + batchBytes > SegmentLimit;
        bool old = active.Size > 0 && _options.Time.GetUtcNow() - active.OpenedAt > Config.SegmentMaxAge;
        bool offsetsOverflow = lastOffset - active.BaseOffset > int.MaxValue;
        bool rollInterrupted = active.IndexWritersClosed; // a roll that hit a full disk after sealing the indexes: finish it
        if (!full && !old && !offsetsOverflow && !rollInterrupted) return active;
        return Roll(active, baseOffset);
    }

    /// <summary>Seals the active segment and starts a new one at the next offset (flusher thread only).</summary>
    private Segment Roll(Segment active, long baseOffset)
    {
        active.WriteSealedIndexes(markSealed: true);
        var next = Segment.Create(_fs, Directory, baseOffset, _options.IndexIntervalBytes, _options.Time.GetUtcNow());
        _fs.SyncDirectory(Directory);
        ReplaceSegments(s => [.. s, next]);
        return next;
    }

    /// <summary>Stops the flusher after it has written everything appended, then closes the files cleanly.</summary>
    public void Dispose()
    {
        lock (_appendLock)
        {
            if (_stopping) return;
            _stopping = true;
            Monitor.PulseAll(_appendLock);
        }
        _flusher.Join();
        lock (_appendLock) WakeWaitersLocked();
        _closed = true;
        var segments = Volatile.Read(ref _segments);
        try
        {
            if (_failure is null) segments[^1].WriteSealedIndexes(markSealed: false);
        }
        catch (IOException e)
        {
            _log.LogWarning(e, "{Topic}/{Partition}: could not write the clean-shutdown index; the next open will validate the tail", Topic, Id);
        }
        foreach (var s in segments) s.Close();
        _lease.Dispose();
        Interlocked.Exchange(ref _hwSignal, NewSignal()).TrySetResult();
    }
}
