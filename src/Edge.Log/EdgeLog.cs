using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Edge.Log.Catalog;
using Edge.Log.Consumers;
using Edge.Log.IO;
using Edge.Log.Maintenance;
using Edge.Log.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Log;

/// <summary>
/// The durable partitioned log: topics of partitions of segments in one directory (FORMAT.md). One instance per
/// directory per machine (enforced by a lock file). All members are thread-safe.
/// </summary>
public sealed class EdgeLog : IDisposable, IAsyncDisposable
{
    private const string LockFile = ".lock";
    private const string CatalogFile = "catalog.db";
    private readonly ConcurrentDictionary<string, TopicState> _topics = new(StringComparer.Ordinal);
    private readonly object _topicsLock = new();
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly IDisposable _lock;
    private readonly LogCatalog _catalog;
    private readonly MaintenanceRunner _maintenance;
    private readonly DiskPressure _pressure = new();
    private readonly TaskCompletionSource<PartitionFailedException> _writeFailure = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _disposed;

    private EdgeLog(LogOptions options, ILoggerFactory loggers, IFileSystem fileSystem, TimeProvider time, IDisposable dirLock, LogCatalog catalog)
    {
        Options = options;
        FileSystem = fileSystem;
        Time = time;
        _loggers = loggers;
        _log = loggers.CreateLogger("Edge.Log");
        _lock = dirLock;
        _catalog = catalog;
        Metrics = new LogMetrics(() => Gauge(p => p.Segments.Count), () => Gauge(p => p.SizeInBytes));
        Offsets = new OffsetStore(catalog, options.OffsetCommitInterval, time, loggers.CreateLogger("Edge.Log.Offsets"));
        _maintenance = new MaintenanceRunner(this, _pressure, loggers.CreateLogger("Edge.Log.Maintenance"));
    }

    public LogOptions Options { get; }

    public LogMetrics Metrics { get; }

    /// <summary>Raised (on the maintenance thread) after the disk budget evicts a segment.</summary>
    public event Action<EvictionEvent>? Evicted;

    /// <summary>
    /// Completes, with the first partition's error, when a partition stops after a write failure (file too large, I/O
    /// error — not a full disk, which only makes writes wait for space: FORMAT.md §6). That partition refuses appends
    /// until the log is reopened and recovered (FORMAT.md §9), so a host should treat it as fatal and restart — the
    /// gateway exits 1 and systemd's Restart=on-failure reopens it.
    /// </summary>
    public Task<PartitionFailedException> WriteFailure => _writeFailure.Task;

    /// <summary>Disk use against the budget as of the last budget check (at most BudgetCheckInterval old). Thread-safe.</summary>
    public DiskUsage DiskUsage
    {
        get
        {
            var u = _maintenance.Usage;
            // Which partitions wait for space changes between checks: report it as it is now.
            var waiting = _pressure.Waiting.Select(w => $"{w.Key.Topic}/{w.Key.Id}").Order(StringComparer.Ordinal).ToList();
            return u with { DiskFullPartitions = waiting, DiskFullEvents = _pressure.DiskFullEvents };
        }
    }

    /// <summary>Maintenance tasks failing for a partition (retried with back-off while the rest goes on). Thread-safe.</summary>
    public IReadOnlyList<MaintenanceFailure> MaintenanceFailures => _maintenance.Failures;

    /// <summary>The file system under every file of the log (segments, lease, lock, catalog).</summary>
    internal IFileSystem FileSystem { get; }

    internal TimeProvider Time { get; }

    internal OffsetStore Offsets { get; }

    internal IEnumerable<TopicState> TopicStates => _topics.Values;

    public IReadOnlyList<TopicConfig> Topics => _topics.Values.Select(t => t.Config).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

    /// <summary><see cref="Topics"/> without the internal ones (<see cref="TopicConfig.IsInternal(string)"/>): what users see and query. Thread-safe.</summary>
    public IReadOnlyList<TopicConfig> UserTopics => Topics.Where(t => !t.Internal).ToList();

    /// <summary>
    /// Opens (or creates) the log in <see cref="LogOptions.Directory"/>: takes the directory lock, loads topics from
    /// the catalog, and recovers each partition's active segment (sealed segments are not scanned).
    /// </summary>
    /// <param name="fileSystem">Every file of the log goes through it; null is the real one (tests inject faults here).</param>
    /// <param name="time">Clock of retention, segment age and offset commits; null is the system clock.</param>
    public static EdgeLog Open(LogOptions options, ILoggerFactory? loggerFactory = null, IFileSystem? fileSystem = null, TimeProvider? time = null)
    {
        options.Validate();
        var loggers = loggerFactory ?? NullLoggerFactory.Instance;
        var fs = fileSystem ?? PhysicalFileSystem.Instance;
        fs.CreateDirectory(Path.Combine(options.Directory, "topics"));
        var dirLock = TakeLock(fs, options.Directory);
        LogCatalog? catalog = null;
        try
        {
            catalog = new LogCatalog(fs, Path.Combine(options.Directory, CatalogFile));
            var log = new EdgeLog(options, loggers, fs, time ?? TimeProvider.System, dirLock, catalog);
            foreach (var config in catalog.LoadTopics()) log._topics[config.Name] = log.OpenTopic(config);
            log._maintenance.Start();
            return log;
        }
        catch
        {
            try { catalog?.Dispose(); }
            finally { dirLock.Dispose(); }
            throw;
        }
    }

    private static IDisposable TakeLock(IFileSystem fs, string directory)
    {
        string lockPath = Path.Combine(directory, LockFile);
        try
        {
            return fs.Lock(lockPath);
        }
        catch (IOException e)
        {
            throw new LogDirectoryLockedException(directory, ReadLockHolder(fs, lockPath + ".owner"), e);
        }
    }

    // The holder's pid, for the message only: a holder that has not written it yet, or a file we may not read, is no pid.
    private static string? ReadLockHolder(IFileSystem fs, string ownerPath)
    {
        try
        {
            if (!fs.FileExists(ownerPath)) return null;
            using var file = fs.Open(ownerPath, create: false);
            var bytes = new byte[Math.Min(file.Length, 64)];
            string holder = System.Text.Encoding.ASCII.GetString(bytes, 0, file.Read(bytes, 0)).Trim();
            return holder.Length == 0 ? null : holder;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Creates a topic, or returns the existing one. Changing an existing topic's settings persists them and
    /// reopens its partitions; the partition count cannot change.
    /// </summary>
    public TopicConfig CreateTopic(TopicConfig config)
    {
        config.Validate();
        lock (_topicsLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_topics.TryGetValue(config.Name, out var existing))
            {
                if (existing.Config == config) return existing.Config;
                if (existing.Config.Partitions != config.Partitions)
                    throw new InvalidTopicConfigException($"topic '{config.Name}'.Partitions",
                        $"is {existing.Config.Partitions} on disk; changing it to {config.Partitions} would move keys to other partitions");
                foreach (var p in existing.Partitions) p.Dispose();
            }
            _catalog.SaveTopic(config);
            _topics[config.Name] = OpenTopic(config);
            _log.LogInformation("topic {Topic}: {Partitions} partitions, cleanup {Cleanup}, flush {Flush}, priority {Priority}, overflow {Overflow}",
                config.Name, config.Partitions, config.Cleanup, config.Flush, config.Priority, config.Overflow);
            return config;
        }
    }

    public TopicConfig GetTopic(string topic) => Topic(topic).Config;

    /// <summary>
    /// Appends a record to a topic. Thread-safe. The partition is <paramref name="partition"/> when given, else the
    /// murmur2 hash of the key (<see cref="KeyPartitioner"/>), else round-robin. The task completes when the record
    /// is durable under the topic's flush policy; its memory must stay unchanged until then. Await it: the task is
    /// also the back-pressure when the partition or the disk budget is full.
    /// </summary>
    public ValueTask<RecordPosition> AppendAsync(string topic, Record record, int? partition = null, CancellationToken cancellationToken = default) =>
        AppendAsync(topic, record, null, partition, cancellationToken);

    /// <summary>
    /// <see cref="AppendAsync(string, Record, int?, CancellationToken)"/>, but the record waits at most
    /// <paramref name="maxWait"/> for company before its group is flushed, when that is shorter than the topic's
    /// <see cref="FlushPolicy.MaxInterval"/> (null: the topic's). For a producer that cannot give the group company
    /// because it waits for this acknowledgement first (an MQTT QoS 1 publisher with a small in-flight window), and
    /// for readings that must not wait at all (an alarm: <see cref="TimeSpan.Zero"/>). Durability is unchanged.
    /// </summary>
    public ValueTask<RecordPosition> AppendAsync(string topic, Record record, TimeSpan? maxWait, int? partition = null, CancellationToken cancellationToken = default)
    {
        var t = Topic(topic);
        int p;
        if (partition is { } explicitPartition)
        {
            if (explicitPartition < 0 || explicitPartition >= t.Partitions.Length)
                throw new PartitionOutOfRangeException(topic, explicitPartition, t.Partitions.Length);
            p = explicitPartition;
        }
        else
        {
            p = record.Key is { } key ? KeyPartitioner.PartitionFor(key.Span, t.Partitions.Length) : t.NextRoundRobin();
        }
        if (t.Config.Cleanup == CleanupPolicy.Compact && record.Key is null)
            throw new ArgumentException($"topic '{topic}' is compacted: every record needs a key", nameof(record));
        return t.Partitions[p].AppendAsync(record, cancellationToken, maxWait);
    }

    /// <summary>
    /// Completes when everything appended to the topic (or every topic) before the call is durable, including appends
    /// that are still waiting for admission — which, for an <see cref="OverflowPolicy.Block"/> topic over the disk
    /// budget, may be never. Thread-safe.
    /// </summary>
    public async ValueTask FlushAsync(string? topic = null)
    {
        var states = topic is null ? _topics.Values.ToList() : [Topic(topic)];
        foreach (var t in states)
            foreach (var p in t.Partitions)
                await p.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The partition whose writer has gone longest without progress, if that is more than <paramref name="threshold"/>:
    /// a write or fdatasync running that long, a group overdue by that much under its flush policy, a writer that
    /// stopped after a write failure. Null while every writer keeps up. Appends still waiting for admission (a Block
    /// topic over the disk budget) are not a stall: the writer has done all it was given. It forces no write or sync,
    /// so asking often costs no flash wear (the gateway's systemd watchdog asks every period). Thread-safe.
    /// </summary>
    public WriterStall? FindStalledWriter(TimeSpan threshold)
    {
        WriterStall? worst = null;
        foreach (var t in _topics.Values.ToList())
            foreach (var p in t.Partitions)
                if (p.Stall() is { } stall && stall.For > threshold && (worst is null || stall.For > worst.For))
                    worst = stall;
        return worst;
    }

    /// <summary>
    /// Topics whose appends wait because the disk budget is reached (<see cref="OverflowPolicy.Block"/>, FORMAT.md §7.3),
    /// with the number of appends waiting, by name. Empty while nothing is held back. Thread-safe.
    /// </summary>
    public IReadOnlyDictionary<string, int> BudgetBlockedTopics =>
        _topics.Values.Where(t => t.Partitions.Any(p => p.IsBudgetBlocked))
            .ToDictionary(t => t.Config.Name, t => t.Partitions.Sum(p => p.WaitingAppends), StringComparer.Ordinal);

    /// <summary>Reads durable records from <paramref name="offset"/>, about <paramref name="maxBytes"/> of batches. Thread-safe.</summary>
    public ReadResult Read(string topic, int partition, long offset, int maxBytes = 1 << 20) => Partition(topic, partition).Read(offset, maxBytes);

    /// <summary>
    /// Visits durable records with offsets in [<paramref name="offset"/>, <paramref name="endOffset"/>) in order until
    /// the visitor returns false; returns the first offset not yet visited (≥ <paramref name="endOffset"/> or the high
    /// watermark when the range is done). Unlike <see cref="Read"/> nothing is allocated per record or chunk: key and
    /// value are spans valid only during the visit. Thread-safe; the visitor runs under the partition's segment lease,
    /// so it should be quick.
    /// </summary>
    public long Scan(string topic, int partition, long offset, long endOffset, IRecordVisitor visitor) =>
        Partition(topic, partition).Scan(offset, endOffset, visitor);

    /// <summary>
    /// After <see cref="Read"/> or <see cref="Scan"/> at <paramref name="offset"/> threw <see cref="CorruptRecordException"/>:
    /// steps over the first corrupt batch from there to the next valid one, so reads of the partition skip those bytes
    /// from now on, and returns the offsets lost (FORMAT.md §7.5); null when no corruption lies between
    /// <paramref name="offset"/> and the high watermark. The caller says what it does with the lost range (park, log).
    /// Thread-safe; changes nothing on disk.
    /// </summary>
    public CorruptRange? SkipCorrupt(string topic, int partition, long offset) => Partition(topic, partition).SkipCorrupt(offset);

    /// <summary>The first offset whose timestamp is ≥ <paramref name="timestamp"/> (Unix ms), or null when there is none yet.</summary>
    public long? OffsetForTimestamp(string topic, int partition, long timestamp) => Partition(topic, partition).OffsetForTimestamp(timestamp);

    /// <summary>Completes when a record at or after <paramref name="offset"/> is durable (no polling: woken by the flusher).</summary>
    public Task WaitForDataAsync(string topic, int partition, long offset, CancellationToken cancellationToken) =>
        Partition(topic, partition).WaitForDataAsync(offset, cancellationToken);

    /// <summary>
    /// Yields durable records from <paramref name="fromOffset"/> forever, waiting for new ones as they become durable:
    /// an idle tail costs nothing (it awaits the flusher's signal, no polling). Throws <see cref="ObjectDisposedException"/>
    /// once the log is closed. Thread-safe; any number of tails may follow a partition.
    /// </summary>
    public async IAsyncEnumerable<LogRecord> TailAsync(string topic, int partition, long fromOffset,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var p = Partition(topic, partition);
        long next = fromOffset;
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = p.Read(next, 1 << 20);
            foreach (var r in result.Records) yield return r;
            if (result.NextOffset > next)
            {
                next = result.NextOffset;
                continue;
            }
            await p.WaitForDataAsync(next, cancellationToken).ConfigureAwait(false);
            // The wait also ends when the partition closes; without this check a tail of a closed log would spin.
            if (p.HighWatermark <= next && !cancellationToken.IsCancellationRequested) throw new ObjectDisposedException(nameof(EdgeLog), $"{topic}/{partition} is closed");
        }
    }

    public PartitionInfo GetPartitionInfo(string topic, int partition)
    {
        var p = Partition(topic, partition);
        // The durable mark first: the next offset read after it is never below it, so Buffered is never negative.
        long durable = p.HighWatermark;
        return new PartitionInfo(topic, partition, p.LogStartOffset, durable, p.SizeInBytes, p.Segments.Count) { Buffered = p.NextOffset - durable };
    }

    /// <summary>Total bytes of segment data across every topic.</summary>
    public long DiskBytes => _topics.Values.Sum(t => t.Partitions.Sum(p => p.SizeInBytes));

    /// <summary>The consumer group named <paramref name="groupId"/> (created on first use).</summary>
    public ConsumerGroup Group(string groupId) => Offsets.Group(groupId, this);

    /// <summary>Runs retention, compaction and the disk budget now (they also run every MaintenanceInterval).</summary>
    public MaintenanceReport RunMaintenance() => _maintenance.RunOnce();

    internal TopicState Topic(string topic)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _topics.TryGetValue(topic, out var t) ? t : throw new UnknownTopicException(topic, _topics.Keys.Order(StringComparer.Ordinal));
    }

    internal Partition Partition(string topic, int partition)
    {
        var t = Topic(topic);
        if (partition < 0 || partition >= t.Partitions.Length) throw new PartitionOutOfRangeException(topic, partition, t.Partitions.Length);
        return t.Partitions[partition];
    }

    // A subscriber's exception is its own bug: reported, and neither the other subscribers nor the budget miss out.
    internal void RaiseEvicted(EvictionEvent e)
    {
        foreach (var handler in Evicted?.GetInvocationList() ?? [])
        {
            try
            {
                ((Action<EvictionEvent>)handler)(e);
            }
            catch (Exception x)
            {
                _log.LogError(x, "an Evicted subscriber ({Subscriber}) failed on {Topic}/{Partition}", handler.Method.DeclaringType?.FullName, e.Topic, e.Partition);
            }
        }
    }

    private TopicState OpenTopic(TopicConfig config)
    {
        var dir = Path.Combine(Options.Directory, "topics", config.Name);
        var log = _loggers.CreateLogger("Edge.Log.Partition");
        var partitions = new Partition[config.Partitions];
        for (int i = 0; i < partitions.Length; i++)
        {
            var context = new PartitionContext(config.Name, i, config, Path.Combine(dir, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Options, FileSystem,
                Time, log, Metrics);
            partitions[i] = Storage.Partition.Open(context, _pressure, e => _writeFailure.TrySetResult(e));
        }
        return new TopicState(config, partitions);
    }

    private IEnumerable<Measurement<long>> Gauge(Func<Partition, long> value) =>
        _topics.Values.Select(t => new Measurement<long>(t.Partitions.Sum(value), new KeyValuePair<string, object?>("topic", t.Config.Name)));

    /// <summary>Flushes and closes every partition cleanly (the next open scans nothing), commits staged offsets, releases the lock.</summary>
    public void Dispose()
    {
        lock (_topicsLock)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _maintenance.Dispose();
        Offsets.Dispose();
        foreach (var t in _topics.Values)
            foreach (var p in t.Partitions)
                p.Dispose();
        try
        {
            _catalog.Dispose();
        }
        finally
        {
            // A catalog that cannot close (a dying disk) must not keep the directory locked for the next open.
            Metrics.Dispose();
            _lock.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
