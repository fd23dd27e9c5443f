using System.Diagnostics;
using Edge.Log.Format;

namespace Edge.Log.Storage;

internal sealed partial class Partition
{
    // Groups larger than this are closed early so one batch stays well below FormatLimits.MaxBatchBytes.
    private const int TargetGroupBytes = 1 << 20;

    private readonly object _appendLock = new();
    private readonly Queue<(BatchBuilder Builder, GroupCommit Commit)> _closedGroups = new();
    private readonly Stack<BatchBuilder> _builderPool = new();
    private readonly LinkedList<AdmissionWaiter> _waiters = new();
    private readonly Thread _flusher;
    private BatchBuilder _open;
    private GroupCommit? _openCommit;
    private GroupCommit? _lastCommit;
    private long _openStartTicks;
    private long _openDueTicks; // when the open group must be flushed: MaxInterval after its first record, or sooner if an append asked
    private long _nextOffset;
    private long _pendingBytes;
    private int _flushRequests;
    private bool _budgetBlocked;
    private bool _stopping;
    private volatile bool _closed;
    private Exception? _failure;

    /// <summary>Offset the next append will get (not yet durable).</summary>
    public long NextOffset
    {
        get { lock (_appendLock) return _nextOffset; }
    }

    /// <summary>
    /// Appends a record. Thread-safe; the task completes when the record is durable under the topic's flush
    /// policy. When the partition's pending bytes are over the limit or the disk budget blocks this topic, the
    /// append waits (in FIFO order, so one caller's records keep their order) until it can be admitted.
    /// <paramref name="maxWait"/>, when shorter than the policy's MaxInterval, makes its group due that soon.
    /// </summary>
    public ValueTask<RecordPosition> AppendAsync(in Record record, CancellationToken cancellationToken, TimeSpan? maxWait = null)
    {
        long waitTicks = maxWait is { } w && w < Config.Flush.MaxInterval ? (long)(Math.Max(0, w.TotalSeconds) * Stopwatch.Frequency) : -1;
        int size = BatchBuilder.EncodedSize(record, 0, 0);
        if (size > _options.MaxRecordBytes)
            return ValueTask.FromException<RecordPosition>(new RecordTooLargeException(Topic, size, _options.MaxRecordBytes));
        lock (_appendLock)
        {
            if (_failure is not null || _stopping) return ValueTask.FromException<RecordPosition>(ClosedError());
            if (_waiters.Count == 0 && CanAdmit(size)) return AddLocked(record, size, waitTicks);
            var waiter = new AdmissionWaiter(record, size, waitTicks);
            waiter.Node = _waiters.AddLast(waiter);
            Monitor.Pulse(_appendLock); // waiting appenders make the open group due at once
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
        lock (_appendLock)
        {
            tail = _waiters.Last?.Value;
            _flushRequests++;
        }
        try
        {
            while (true)
            {
                GroupCommit? last;
                lock (_appendLock)
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
            lock (_appendLock) _flushRequests--;
        }
    }

    /// <summary>Bytes of records accepted but not yet written (bounded by MaxPendingBytesPerPartition).</summary>
    internal long PendingBytes
    {
        get { lock (_appendLock) return _pendingBytes; }
    }

    /// <summary>Disk budget: while blocked, appends to this partition wait instead of growing the log.</summary>
    internal void SetBudgetBlocked(bool blocked)
    {
        lock (_appendLock)
        {
            _budgetBlocked = blocked;
            if (!blocked) WakeWaitersLocked();
        }
    }

    internal bool IsBudgetBlocked
    {
        get { lock (_appendLock) return _budgetBlocked; }
    }

    /// <summary>Appends waiting for admission (disk budget or pending-bytes back-pressure).</summary>
    internal int WaitingAppends
    {
        get { lock (_appendLock) return _waiters.Count; }
    }

    private bool CanAdmit(int size) => !_budgetBlocked && (_pendingBytes == 0 || _pendingBytes + size <= _options.MaxPendingBytesPerPartition);

    private ValueTask<RecordPosition> AddLocked(in Record record, int size, long waitTicks)
    {
        var policy = Config.Flush;
        if (_open.Count > 0 && _open.SizeInBytes + size > TargetGroupBytes) CloseOpenGroupLocked();
        if (_open.Count == 0)
        {
            _open.Reset(_nextOffset);
            _openCommit = new GroupCommit(Id, _nextOffset);
            _openStartTicks = Stopwatch.GetTimestamp();
            _openDueTicks = _openStartTicks + (long)(policy.MaxInterval.TotalSeconds * Stopwatch.Frequency);
            Monitor.Pulse(_appendLock); // the flusher starts the group's MaxInterval clock
        }
        if (waitTicks >= 0 && Stopwatch.GetTimestamp() + waitTicks < _openDueTicks)
        {
            _openDueTicks = Stopwatch.GetTimestamp() + waitTicks;
            Monitor.Pulse(_appendLock); // the flusher sleeps until the old due time
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
        Monitor.Pulse(_appendLock);
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
        lock (_appendLock)
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

    private LogException ClosedError() => _failure is not null
        ? new PartitionFailedException(Topic, Id, _failure)
        : new LogException($"partition {Topic}/{Id} is closed");

    private sealed class AdmissionWaiter(Record record, int size, long waitTicks)
    {
        public Record Record { get; } = record;

        public int Size { get; } = size;

        public long WaitTicks { get; } = waitTicks;

        public LinkedListNode<AdmissionWaiter>? Node { get; set; }

        public TaskCompletionSource<ValueTask<RecordPosition>> Admitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
