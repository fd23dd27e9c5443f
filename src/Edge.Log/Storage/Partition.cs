using Edge.Log.IO;

namespace Edge.Log.Storage;

/// <summary>
/// One partition, composed of the parts that own its state: the <see cref="SegmentLedger"/> (segments and durable
/// mark), the <see cref="AppendQueue"/> (admission and group assembly), the <see cref="PartitionWriter"/> (the flusher
/// thread) and the <see cref="PartitionReader"/>. Appends are safe from many threads; reads are safe from many threads
/// and never see past the high watermark.
/// </summary>
internal sealed class Partition : IDisposable
{
    private readonly PartitionContext _context;
    private readonly SegmentLedger _ledger;
    private readonly AppendQueue _queue;
    private readonly PartitionWriter _writer;
    private readonly PartitionReader _reader;
    private readonly CorruptionSkipper _skipper;
    private int _disposed;

    private Partition(PartitionContext context, Segment[] segments, OffsetLease lease, long nextOffset, DiskPressure pressure,
        Action<PartitionFailedException> onFailure)
    {
        _context = context;
        _ledger = new SegmentLedger(segments, nextOffset);
        _queue = new AppendQueue(context.Topic, context.Id, context.Config, context.Options, nextOffset);
        _reader = new PartitionReader(context.Topic, context.Id, _ledger, context.Log);
        _skipper = new CorruptionSkipper(context.Topic, context.Id, _reader, context.Log);
        _writer = new PartitionWriter(context, _queue, _ledger, lease, pressure, onFailure);
    }

    public string Topic => _context.Topic;

    public int Id => _context.Id;

    public TopicConfig Config => _context.Config;

    public string Directory => _context.Directory;

    /// <summary>The segment list and durable mark; maintenance replaces segments through it.</summary>
    public SegmentLedger Ledger => _ledger;

    /// <inheritdoc cref="SegmentLedger.HighWatermark"/>
    public long HighWatermark => _ledger.HighWatermark;

    /// <inheritdoc cref="SegmentLedger.LogStartOffset"/>
    public long LogStartOffset => _ledger.LogStartOffset;

    public IReadOnlyList<Segment> Segments => _ledger.Segments;

    /// <inheritdoc cref="SegmentLedger.SizeInBytes"/>
    public long SizeInBytes => _ledger.SizeInBytes;

    /// <inheritdoc cref="AppendQueue.NextOffset"/>
    public long NextOffset => _queue.NextOffset;

    /// <inheritdoc cref="AppendQueue.PendingBytes"/>
    internal long PendingBytes => _queue.PendingBytes;

    internal bool IsBudgetBlocked => _queue.IsBudgetBlocked;

    /// <inheritdoc cref="AppendQueue.WaitingAppends"/>
    internal int WaitingAppends => _queue.WaitingAppends;

    /// <param name="pressure">The disk budget's state this partition's writer reports to and waits on (FORMAT.md §7.3).</param>
    /// <param name="onFailure">Called once, on the flusher thread, when the partition stops after a write failure.</param>
    public static Partition Open(PartitionContext context, DiskPressure pressure, Action<PartitionFailedException> onFailure)
    {
        var (segments, lease, next) = PartitionRecovery.Open(context);
        return new Partition(context, segments, lease, next, pressure, onFailure);
    }

    /// <inheritdoc cref="AppendQueue.AppendAsync"/>
    public ValueTask<RecordPosition> AppendAsync(in Record record, CancellationToken cancellationToken, TimeSpan? maxWait = null) =>
        _queue.AppendAsync(record, cancellationToken, maxWait);

    /// <inheritdoc cref="AppendQueue.FlushAsync"/>
    public ValueTask FlushAsync() => _queue.FlushAsync();

    /// <inheritdoc cref="AppendQueue.SetBudgetBlocked"/>
    internal void SetBudgetBlocked(bool blocked) => _queue.SetBudgetBlocked(blocked);

    /// <inheritdoc cref="PartitionWriter.Stall"/>
    internal WriterStall? Stall() => _writer.Stall();

    /// <inheritdoc cref="PartitionReader.Read"/>
    public ReadResult Read(long offset, int maxBytes) => _reader.Read(offset, maxBytes);

    /// <inheritdoc cref="PartitionReader.OffsetForTimestamp"/>
    public long? OffsetForTimestamp(long timestamp) => _reader.OffsetForTimestamp(timestamp);

    /// <inheritdoc cref="PartitionReader.Scan"/>
    public long Scan(long offset, long endOffset, IRecordVisitor visitor) => _reader.Scan(offset, endOffset, visitor);

    /// <inheritdoc cref="CorruptionSkipper.SkipCorrupt"/>
    public CorruptRange? SkipCorrupt(long offset) => _skipper.SkipCorrupt(offset);

    /// <inheritdoc cref="SegmentLedger.WaitForDataAsync"/>
    public Task WaitForDataAsync(long offset, CancellationToken cancellationToken) => _ledger.WaitForDataAsync(offset, cancellationToken);

    /// <inheritdoc cref="PartitionReader.GetIndex"/>
    internal SparseIndex GetIndex(Segment s) => _reader.GetIndex(s);

    /// <summary>Makes this partition's directory entries durable (after segments are created, renamed or deleted).</summary>
    internal void SyncDirectory() => _context.FileSystem.SyncDirectory(Directory);

    /// <summary>Stops the writer after it has written everything appended, then closes the files cleanly.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _writer.Dispose();
        _ledger.Close();
    }
}
