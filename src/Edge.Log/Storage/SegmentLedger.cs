namespace Edge.Log.Storage;

/// <summary>
/// What a partition's writer, its readers and maintenance share: the segment list and the durable mark. The writer
/// publishes the mark; a roll, retention or compaction replaces the list; readers take a <see cref="PartitionSnapshot"/>
/// of both and never see a change in the middle of a read. Thread-safe.
/// </summary>
internal sealed class SegmentLedger(Segment[] segments, long nextOffset)
{
    private readonly object _replaceLock = new();
    private Segment[] _segments = segments;
    private DurableMark _durable = new(segments[^1], segments[^1].Size, nextOffset);
    private TaskCompletionSource _hwSignal = NewSignal();
    private volatile bool _closed;

    /// <summary>Offset after the last durable record: the limit for every reader.</summary>
    public long HighWatermark => Volatile.Read(ref _durable).HighWatermark;

    /// <summary>Oldest offset still stored.</summary>
    public long LogStartOffset => Volatile.Read(ref _segments)[0].BaseOffset;

    public IReadOnlyList<Segment> Segments => Volatile.Read(ref _segments);

    /// <summary>The segment appends go to (the writer's; a roll replaces it).</summary>
    public Segment Active => Volatile.Read(ref _segments)[^1];

    /// <summary>Bytes of segment data on disk.</summary>
    public long SizeInBytes
    {
        get
        {
            long total = 0;
            foreach (var s in Volatile.Read(ref _segments)) total += s.Size;
            return total;
        }
    }

    /// <summary>The durable mark, then the segments: every segment up to the mark's is in the list read after it.</summary>
    public PartitionSnapshot Snapshot()
    {
        var mark = Volatile.Read(ref _durable);
        return new PartitionSnapshot(Volatile.Read(ref _segments), mark);
    }

    /// <summary>Makes records up to <paramref name="mark"/> readable and wakes those waiting for them (writer only).</summary>
    public void Publish(DurableMark mark)
    {
        Volatile.Write(ref _durable, mark);
        Interlocked.Exchange(ref _hwSignal, NewSignal()).TrySetResult();
    }

    /// <summary>
    /// Replaces the segment list (roll, retention, compaction); changes run one at a time, so <paramref name="change"/>
    /// may also do the file work that must not interleave with another replacement. Readers keep the snapshot they hold.
    /// </summary>
    public void Replace(Func<Segment[], Segment[]> change)
    {
        lock (_replaceLock) Volatile.Write(ref _segments, change(_segments));
    }

    /// <summary>Waits until the high watermark passes <paramref name="offset"/> (a record at that offset is readable), or the partition closes.</summary>
    public async Task WaitForDataAsync(long offset, CancellationToken cancellationToken)
    {
        while (true)
        {
            var signal = Volatile.Read(ref _hwSignal);
            if (HighWatermark > offset || _closed) return;
            await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Closes every segment file after the writer has stopped, and releases everyone waiting for data.</summary>
    public void Close()
    {
        _closed = true;
        foreach (var s in Volatile.Read(ref _segments)) s.Close();
        Interlocked.Exchange(ref _hwSignal, NewSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
