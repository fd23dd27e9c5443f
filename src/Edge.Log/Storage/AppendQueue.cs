using System.Diagnostics;
using Edge.Log.Format;

namespace Edge.Log.Storage;

/// <summary>
/// A partition's admission and group assembly (FORMAT.md §6): appends are admitted into the open group under one short
/// lock (or wait, in FIFO order, while pending bytes are over the limit or the disk budget blocks the topic), groups
/// close when full or due, and the writer takes closed groups one at a time. Owns every piece of state appenders and
/// the writer share; thread-safe.
/// </summary>
internal sealed class AppendQueue(string topic, int id, TopicConfig config, LogOptions options, long nextOffset)
{
    /// <summary>Groups larger than this are closed early so one batch stays well below FormatLimits.MaxBatchBytes.</summary>
    public const int TargetGroupBytes = 1 << 20;

    private readonly object _lock = new();
    private readonly Queue<(BatchBuilder Builder, GroupCommit Commit)> _closedGroups = new();
    private readonly Stack<BatchBuilder> _builderPool = new();
    private readonly LinkedList<AdmissionWaiter> _waiters = new();
    private BatchBuilder _open = new();
    private GroupCommit? _openCommit;
    private GroupCommit? _lastCommit;
    private long _openDueTicks; // when the open group must be flushed: MaxInterval after its first record, or sooner if an append asked
    private long _nextOffset = nextOffset;
    private long _pendingBytes;
    private int _flushRequests;
    private bool _budgetBlocked;
    private bool _stopping;
    private Exception? _failure;

    /// <summary>Offset the next append will get (not yet durable).</summary>
    public long NextOffset
    {
        get { lock (_lock) return _nextOffset; }
    }

    /// <summary>Bytes of records accepted but not yet written (bounded by MaxPendingBytesPerPartition).</summary>
    public long PendingBytes
    {
        get { lock (_lock) return _pendingBytes; }
    }

    public bool IsBudgetBlocked
    {
        get { lock (_lock) return _budgetBlocked; }
    }

    /// <summary>Appends waiting for admission (disk budget or pending-bytes back-pressure).</summary>
    public int WaitingAppends
    {
        get { lock (_lock) return _waiters.Count; }
    }

    /// <summary>The write failure that stopped the partition (set and read by the writer thread; read under the lock by others).</summary>
    public Exception? Failure => _failure;

    /// <summary>
    /// Appends a record. Thread-safe; the task completes when the record is durable under the topic's flush
    /// policy. When the partition's pending bytes are over the limit or the disk budget blocks this topic, the
    /// append waits (in FIFO order, so one caller's records keep their order) until it can be admitted.
    /// <paramref name="maxWait"/>, when shorter than the policy's MaxInterval, makes its group due that soon.
    /// </summary>
    public ValueTask<RecordPosition> AppendAsync(in Record record, CancellationToken cancellationToken, TimeSpan? maxWait)
    {
        long waitTicks = maxWait is { } w && w < config.Flush.MaxInterval ? (long)(Math.Max(0, w.TotalSeconds) * Stopwatch.Frequency) : -1;
        int size = BatchBuilder.EncodedSize(record, 0, 0);
        if (size > options.MaxRecordBytes)
            return ValueTask.FromException<RecordPosition>(new RecordTooLargeException(topic, size, options.MaxRecordBytes));
        lock (_lock)
        {
            if (_failure is not null || _stopping) return ValueTask.FromException<RecordPosition>(ClosedError());
            if (_waiters.Count == 0 && CanAdmit(size)) return AddLocked(record, size, waitTicks);
            var waiter = new AdmissionWaiter(record, size, waitTicks);
            waiter.Node = _waiters.AddLast(waiter);
            Monitor.Pulse(_lock); // waiting appenders make the open group due at once
            return WaitForAdmissionAsync(waiter, cancellationToken);
        }
    }

    /// <summary>
    /// Completes when everything appended before the call is durable (or written, for page-cache topics),
    /// including appends still waiting for admission at the time of the call.
    /// </summary>
    public async ValueTask FlushAsync()
    {
        AdmissionWaiter? tail;
        lock (_lock)
        {
            tail = _waiters.Last?.Value;
            _flushRequests++;
        }
        try
        {
            while (true)
            {
                GroupCommit? last;
                lock (_lock)
                {
                    if (_open.Count > 0) CloseOpenGroupLocked();
                    last = _lastCommit;
                }
                if (last is not null) await last.ForRecord(0).ConfigureAwait(false);
                if (tail is null) return;
                // The last appender waiting at the call must be admitted, and then its group flushed too.
                try { await (await tail.Admitted.Task.ConfigureAwait(false)).ConfigureAwait(false); }
                catch (OperationCanceledException) { }
                tail = null;
            }
        }
        finally
        {
            lock (_lock) _flushRequests--;
        }
    }

    /// <summary>Disk budget: while blocked, appends to this partition wait instead of growing the log.</summary>
    public void SetBudgetBlocked(bool blocked)
    {
        lock (_lock)
        {
            _budgetBlocked = blocked;
            if (!blocked) WakeWaitersLocked();
        }
    }

    /// <summary>
    /// The writer's next group: a closed one, or the open one once it is due (or wanted now: a waiting appender, a
    /// flush, a stop). Blocks until there is one; false when the partition stops or failed and nothing is left.
    /// </summary>
    public bool TakeGroup(out BatchBuilder builder, out GroupCommit commit)
    {
        lock (_lock)
        {
            while (true)
            {
                if (_closedGroups.Count > 0)
                {
                    (builder, commit) = _closedGroups.Dequeue();
                    return true;
                }
                if (_open.Count > 0)
                {
                    long left = _openDueTicks - Stopwatch.GetTimestamp();
                    if (_stopping || left <= 0 || _waiters.Count > 0 || _flushRequests > 0)
                    {
                        CloseOpenGroupLocked();
                        continue;
                    }
                    Monitor.Wait(_lock, TimeSpan.FromTicks(Math.Max(1, left * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
                    continue;
                }
                (builder, commit) = (null!, null!);
                if (_stopping || _failure is not null) return false;
                Monitor.Wait(_lock);
            }
        }
    }

    /// <summary>The writer is done with a group of <paramref name="bytes"/> bytes: its room goes to the appends waiting.</summary>
    public void Written(BatchBuilder builder, int bytes)
    {
        lock (_lock)
        {
            if (_failure is null) _pendingBytes -= bytes - BatchHeader.Overhead;
            _builderPool.Push(builder);
            WakeWaitersLocked();
        }
    }

    /// <summary>Stops the partition after a write failure; returns every group commit not yet written (to fail them).</summary>
    public List<GroupCommit> Fail(Exception error)
    {
        List<GroupCommit> failed = [];
        lock (_lock)
        {
            _failure = error;
            while (_closedGroups.Count > 0) failed.Add(_closedGroups.Dequeue().Commit);
            if (_openCommit is not null && _open.Count > 0) failed.Add(_openCommit);
            _open.Reset(_nextOffset);
            _openCommit = null;
            _pendingBytes = 0;
            WakeWaitersLocked();
        }
        return failed;
    }

    /// <summary>Refuses appends from now on and wakes the writer to flush what is open; false when already stopping.</summary>
    public bool Stop()
    {
        lock (_lock)
        {
            if (_stopping) return false;
            _stopping = true;
            Monitor.PulseAll(_lock);
            return true;
        }
    }

    /// <summary>After the writer has ended: fails the appends still waiting for admission.</summary>
    public void FailWaiters()
    {
        lock (_lock) WakeWaitersLocked();
    }

    /// <summary>
    /// The writer's wait after a full disk: until <paramref name="spaceFreed"/> says so, the deadline, or a stop (then
    /// false). Appends pulse this lock too; they do not end the wait.
    /// </summary>
    public bool WaitForSpace(long deadlineTicks, Func<bool> spaceFreed)
    {
        lock (_lock)
        {
            while (!_stopping && !spaceFreed())
            {
                long left = deadlineTicks - Stopwatch.GetTimestamp();
                if (left <= 0) break;
                Monitor.Wait(_lock, TimeSpan.FromSeconds((double)left / Stopwatch.Frequency));
            }
            return !_stopping;
        }
    }

    /// <summary>Wakes a writer waiting for space.</summary>
    public void Wake()
    {
        lock (_lock) Monitor.PulseAll(_lock);
    }

    /// <summary>For the writer's liveness probe: the failure, whether stopping, and when the open group is due (none: null).</summary>
    public (Exception? Failure, bool Stopping, long? OpenDueTicks) Health()
    {
        lock (_lock) return (_failure, _stopping, _open.Count > 0 ? _openDueTicks : null);
    }

    public LogException ClosedError() => _failure is not null
        ? new PartitionFailedException(topic, id, _failure)
        : new LogException($"partition {topic}/{id} is closed");

    private bool CanAdmit(int size) => !_budgetBlocked && (_pendingBytes == 0 || _pendingBytes + size <= options.MaxPendingBytesPerPartition);

    private ValueTask<RecordPosition> AddLocked(in Record record, int size, long waitTicks)
    {
        var policy = config.Flush;
        if (_open.Count > 0 && _open.SizeInBytes + size > TargetGroupBytes) CloseOpenGroupLocked();
        if (_open.Count == 0)
        {
            _open.Reset(_nextOffset);
            _openCommit = new GroupCommit(id, _nextOffset);
            _openDueTicks = Stopwatch.GetTimestamp() + (long)(policy.MaxInterval.TotalSeconds * Stopwatch.Frequency);
            Monitor.Pulse(_lock); // the writer starts the group's MaxInterval clock
        }
        if (waitTicks >= 0 && Stopwatch.GetTimestamp() + waitTicks < _openDueTicks)
        {
            _openDueTicks = Stopwatch.GetTimestamp() + waitTicks;
            Monitor.Pulse(_lock); // the writer sleeps until the old due time
        }
        int before = _open.SizeInBytes;
        int index = _open.Count;
        _open.Add(_nextOffset++, record);
        _pendingBytes += _open.SizeInBytes - before;
        var task = _openCommit!.ForRecord(index);
        if (_open.Count >= policy.MaxUnflushedRecords || (policy.FillBytes > 0 && _open.SizeInBytes >= policy.FillBytes)) CloseOpenGroupLocked();
        return task;
    }

    private void CloseOpenGroupLocked()
    {
        _closedGroups.Enqueue((_open, _openCommit!));
        _lastCommit = _openCommit;
        _open = _builderPool.Count > 0 ? _builderPool.Pop() : new BatchBuilder();
        _open.Reset(_nextOffset);
        _openCommit = null;
        Monitor.Pulse(_lock);
    }

    private async ValueTask<RecordPosition> WaitForAdmissionAsync(AdmissionWaiter waiter, CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(() => CancelWaiter(waiter)))
        {
            var admitted = await waiter.Admitted.Task.ConfigureAwait(false);
            return await admitted.ConfigureAwait(false);
        }
    }

    private void CancelWaiter(AdmissionWaiter waiter)
    {
        lock (_lock)
        {
            if (waiter.Node?.List is null) return;
            _waiters.Remove(waiter.Node);
            waiter.Admitted.TrySetCanceled();
            WakeWaitersLocked();
        }
    }

    // Admits queued appends in FIFO order while there is room; called whenever room may have appeared.
    private void WakeWaitersLocked()
    {
        while (_waiters.First is { } node)
        {
            var w = node.Value;
            if (_failure is not null || _stopping)
            {
                _waiters.RemoveFirst();
                w.Admitted.TrySetException(ClosedError());
                continue;
            }
            if (!CanAdmit(w.Size)) return;
            _waiters.RemoveFirst();
            w.Admitted.TrySetResult(AddLocked(w.Record, w.Size, w.WaitTicks));
        }
    }
}
