using Edge.Log.Format;
using Edge.Log.IO;
using Microsoft.Extensions.Logging;

namespace Edge.Log.Storage;

/// <summary>
/// One partition: an ordered list of segments, a single flusher thread that writes group commits, and readers.
/// Appends are safe from many threads; reads are safe from many threads and never see past the high watermark.
/// </summary>
internal sealed partial class Partition : IDisposable
{
    private readonly IFileSystem _fs;
    private readonly LogOptions _options;
    private readonly ILogger _log;
    private readonly LogMetrics _metrics;
    private readonly KeyValuePair<string, object?> _topicTag;
    private readonly object _segmentsLock = new();
    private readonly OffsetLease _lease;
    private readonly Action<PartitionFailedException> _onFailure;
    private readonly Maintenance.DiskPressure _pressure;
    private Segment[] _segments;
    private DurableMark _durable;
    private TaskCompletionSource _hwSignal = NewSignal();

    private Partition(string topic, int id, TopicConfig config, string dir, LogOptions options, ILogger log, LogMetrics metrics,
        Segment[] segments, OffsetLease lease, long nextOffset, Maintenance.DiskPressure pressure, Action<PartitionFailedException> onFailure)
    {
        _onFailure = onFailure;
        _pressure = pressure;
        Topic = topic;
        Id = id;
        Config = config;
        Directory = dir;
        _options = options;
        _fs = options.FileSystem;
        _log = log;
        _metrics = metrics;
        _topicTag = new("topic", topic);
        _segments = segments;
        _lease = lease;
        _nextOffset = nextOffset;
        _durable = new DurableMark(segments[^1], segments[^1].Size, nextOffset);
        _open = new BatchBuilder();
        _flusher = new Thread(FlushLoop) { IsBackground = true, Name = $"edge-log-flush {topic}/{id}" };
        _flusher.Start();
    }

    public string Topic { get; }

    public int Id { get; }

    public TopicConfig Config { get; }

    public string Directory { get; }

    /// <summary>Offset after the last durable record: the limit for every reader.</summary>
    public long HighWatermark => Volatile.Read(ref _durable).HighWatermark;

    /// <summary>Oldest offset still stored.</summary>
    public long LogStartOffset => Volatile.Read(ref _segments)[0].BaseOffset;

    public IReadOnlyList<Segment> Segments => Volatile.Read(ref _segments);

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

    /// <param name="pressure">The disk budget's state this partition's flusher reports to and waits on (FORMAT.md §7.3).</param>
    /// <param name="onFailure">Called once, on the flusher thread, when the partition stops after a write failure.</param>
    public static Partition Open(string topic, int id, TopicConfig config, string dir, LogOptions options, ILogger log, LogMetrics metrics,
        Maintenance.DiskPressure pressure, Action<PartitionFailedException> onFailure)
    {
        var fs = options.FileSystem;
        fs.CreateDirectory(dir);
        var now = options.Time.GetUtcNow();
        CompleteInterruptedSwaps(fs, dir, log);
        var bases = fs.EnumerateFiles(dir)
            .Select(f => SegmentFiles.TryParse(f, SegmentFiles.LogSuffix, out long b) ? b : -1)
            .Where(b => b >= 0).OrderBy(b => b).ToList();
        DeleteOrphanIndexes(fs, dir, bases);
        var lease = OffsetLease.Open(fs, dir);
        var segments = new List<Segment>();
        if (bases.Count == 0)
        {
            segments.Add(Segment.Create(fs, dir, lease.End, options.IndexIntervalBytes, now));
            fs.SyncDirectory(dir);
        }
        else
        {
            for (int i = 0; i < bases.Count - 1; i++)
                segments.Add(Segment.OpenSealed(fs, dir, bases[i], options.IndexIntervalBytes, now));
            var active = Segment.OpenActive(fs, dir, bases[^1], options.IndexIntervalBytes, now, out var report);
            segments.Add(active);
            LogRecovery(log, metrics, topic, id, report);
        }
        long next = Math.Max(segments[^1].NextOffset, lease.End);
        if (next > segments[^1].NextOffset)
            log.LogWarning("{Topic}/{Partition}: resuming at offset {Next} after the page-cache lease; offsets {From}..{To} were lost or never used and stay unused",
                topic, id, next, segments[^1].NextOffset, next - 1);
        return new Partition(topic, id, config, dir, options, log, metrics, segments.ToArray(), lease, next, pressure, onFailure);
    }

    /// <summary>Waits until the high watermark passes <paramref name="offset"/> (a record at that offset is readable).</summary>
    public async Task WaitForDataAsync(long offset, CancellationToken cancellationToken)
    {
        while (true)
        {
            var signal = Volatile.Read(ref _hwSignal);
            if (HighWatermark > offset || _closed) return;
            await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Publish(DurableMark mark)
    {
        Volatile.Write(ref _durable, mark);
        Interlocked.Exchange(ref _hwSignal, NewSignal()).TrySetResult();
    }

    /// <summary>Replaces the segment list (roll, retention, compaction). Readers keep the snapshot they hold.</summary>
    internal void ReplaceSegments(Func<Segment[], Segment[]> change)
    {
        lock (_segmentsLock) Volatile.Write(ref _segments, change(_segments));
    }

    internal void SyncDirectory() => _fs.SyncDirectory(Directory);

    private static void LogRecovery(ILogger log, LogMetrics metrics, string topic, int id, RecoveryReport r)
    {
        if (r.IndexProblem is not null)
            log.LogWarning("{Topic}/{Partition}: rebuilt the index of {File}: {Problem}", topic, id, r.File, r.IndexProblem);
        if (r.BytesDropped > 0)
        {
            metrics.RecoveryTruncatedBytes.Add(r.BytesDropped, new KeyValuePair<string, object?>("topic", topic));
            log.LogWarning("{Topic}/{Partition}: recovery truncated {File} at byte {Position}, dropping {Bytes} bytes ({Reason})",
                topic, id, r.File, r.TruncatedAt, r.BytesDropped, r.Reason);
        }
        else if (!r.Clean)
        {
            log.LogInformation("{Topic}/{Partition}: unclean shutdown; validated {File} from byte {From} to {End}, nothing dropped",
                topic, id, r.File, r.ScannedFrom, r.TruncatedAt);
        }
    }

    // A compaction interrupted after its commit point left "<base>.swap": finish it. A ".cleaned" file is an
    // unfinished compaction output and is discarded (FORMAT.md §7.2).
    private static void CompleteInterruptedSwaps(IFileSystem fs, string dir, ILogger log)
    {
        foreach (var f in fs.EnumerateFiles(dir).ToList())
        {
            if (SegmentFiles.TryParse(f, SegmentFiles.CleanedSuffix, out _))
            {
                fs.DeleteFile(f);
            }
            else if (SegmentFiles.TryParse(f, SegmentFiles.SwapSuffix, out long b))
            {
                foreach (var idx in new[] { SegmentFiles.IndexPath(dir, b), SegmentFiles.TimeIndexPath(dir, b) })
                    if (fs.FileExists(idx)) fs.DeleteFile(idx);
                fs.Move(f, SegmentFiles.LogPath(dir, b));
                fs.SyncDirectory(dir);
                log.LogInformation("completed an interrupted compaction swap of {File}", SegmentFiles.LogPath(dir, b));
            }
        }
    }

    private static void DeleteOrphanIndexes(IFileSystem fs, string dir, List<long> bases)
    {
        var set = bases.ToHashSet();
        foreach (var f in fs.EnumerateFiles(dir).ToList())
        {
            if ((SegmentFiles.TryParse(f, SegmentFiles.IndexSuffix, out long b) || SegmentFiles.TryParse(f, SegmentFiles.TimeIndexSuffix, out b))
                && !set.Contains(b))
                fs.DeleteFile(f);
        }
    }
}
