using Edge.Log.IO;
using Edge.Log.Storage;
using Microsoft.Extensions.Logging;

namespace Edge.Log.Maintenance;

/// <summary>
/// Keeps the whole log under its budget (FORMAT.md §7.3): min(LogOptions.DiskBudgetBytes, what the file system can
/// hold for the log minus a reserve), re-read at every check because other programs fill disks too. Evicts the oldest
/// sealed segments of the lowest-priority Evict topics first; if that is not enough, appends to Block topics wait
/// until space frees. Lowers the active-segment limit so segments that cannot be evicted never outgrow the budget.
/// Every eviction is logged, counted, and reported with the records each consumer group had not consumed.
/// Called under the maintenance lock only.
/// </summary>
internal sealed class DiskBudget(EdgeLog log, DiskPressure pressure, FailureBackoff failures, ILogger logger)
{
    private DiskUsage? _usage;
    private long _loggedLimit = -1;
    private string? _spaceError;
    private long _evictedRecords;

    /// <summary>The state of the last check (before the first: the configured budget, nothing measured).</summary>
    public DiskUsage Usage => _usage ?? new DiskUsage(log.DiskBytes, log.Options.DiskBudgetBytes, log.Options.DiskBudgetBytes, 0, null, false, [], 0, 0);

    public (int Evicted, bool Blocking) Enforce()
    {
        pressure.TakeCheckRequest();
        var options = log.Options;
        var topics = log.TopicStates.ToList();
        long total = topics.Sum(t => t.Partitions.Sum(p => p.SizeInBytes));
        var space = ReadSpace(options);
        long reserve = space is { } s ? DiskCapacity.Reserve(options.DiskReserveBytes, s.TotalBytes) : 0;
        long budget = space is { } sp ? DiskCapacity.EffectiveBudget(options.DiskBudgetBytes, total, sp.AvailableBytes, reserve)
            : options.DiskBudgetBytes > 0 ? options.DiskBudgetBytes : long.MaxValue;
        NoteFileSystemLimit(options, budget, space, reserve);
        pressure.SegmentLimit = budget == long.MaxValue ? long.MaxValue : DiskCapacity.SegmentLimit(budget, topics.Sum(t => t.Partitions.Length));

        // A write that found the disk full needs room now, even when the arithmetic says the log is within budget
        // (another program took the space): evict at least one segment then.
        long target = pressure.AnyWaiting ? Math.Min(budget, total - 1) : budget;
        int evicted = 0;
        if (total > target)
        {
            var candidates = topics.Where(t => t.Config.Overflow == OverflowPolicy.Evict)
                .SelectMany(t => t.Partitions.SelectMany(p => p.Segments.Take(p.Segments.Count - 1).Select(s => (Topic: t, Partition: p, Segment: s))))
                .Select(c => (c.Topic, c.Partition, c.Segment, MaxTimestamp: MaxTimestamp(c.Partition, c.Segment)))
                .OrderBy(c => c.Topic.Config.Priority)
                .ThenBy(c => c.MaxTimestamp)
                .ToList();
            foreach (var (topic, partition, segment, _) in candidates)
            {
                if (total <= target) break;
                // Only the oldest remaining segment of a partition may go, so each partition stays a contiguous range.
                if (partition.Segments[0] != segment) continue;
                if (!failures.Run("eviction", partition, force: true, () => Evict(topic.Config, partition, segment))) continue;
                total -= segment.Size;
                evicted++;
            }
        }
        if (evicted > 0) pressure.SpaceFreed();
        bool blocking = total > budget;
        foreach (var t in topics.Where(t => t.Config.Overflow == OverflowPolicy.Block))
            foreach (var p in t.Partitions)
            {
                if (blocking && !p.IsBudgetBlocked)
                    logger.LogWarning("{Topic}/{Partition}: disk budget of {Budget} bytes reached ({Total} used) and nothing is left to evict; appends wait until space frees",
                        t.Config.Name, p.Id, budget, total);
                else if (!blocking && p.IsBudgetBlocked)
                    logger.LogInformation("{Topic}/{Partition}: back under the disk budget ({Total} of {Budget} bytes); appends resume", t.Config.Name, p.Id, total, budget);
                p.SetBudgetBlocked(blocking);
            }
        var waiting = pressure.Waiting.Select(w => $"{w.Key.Topic}/{w.Key.Id}").Order(StringComparer.Ordinal).ToList();
        _usage = new DiskUsage(total, budget == long.MaxValue ? 0 : budget, options.DiskBudgetBytes, reserve, space?.AvailableBytes, blocking, waiting, pressure.DiskFullEvents,
            _evictedRecords);
        return (evicted, blocking);
    }

    private DiskSpace? ReadSpace(LogOptions options)
    {
        try
        {
            var space = log.FileSystem.GetSpace(options.Directory);
            _spaceError = null;
            return space;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            if (_spaceError != e.Message)
                logger.LogWarning("cannot read the free space of {Directory} ({Error}); keeping to the configured disk budget only", options.Directory, e.Message);
            _spaceError = e.Message;
            return null;
        }
    }

    // Says once (and again when it changes by more than a tenth) that the file system, not the configuration, sets the budget.
    private void NoteFileSystemLimit(LogOptions options, long budget, DiskSpace? space, long reserve)
    {
        if (space is not { } s || (options.DiskBudgetBytes > 0 && budget >= options.DiskBudgetBytes)) return;
        if (_loggedLimit >= 0 && Math.Abs(budget - _loggedLimit) <= _loggedLimit / 10) return;
        _loggedLimit = budget;
        string configured = options.DiskBudgetBytes > 0 ? $"{options.DiskBudgetBytes / 1048576.0:F1} MiB configured" : "auto";
        logger.LogInformation("disk budget {Budget:F1} MiB ({Configured}): the file system at {Directory} has {Available:F1} MiB free of {Total:F1} MiB, {Reserve:F1} MiB stay reserved for the rest of the system",
            budget / 1048576.0, configured, options.Directory, s.AvailableBytes / 1048576.0, s.TotalBytes / 1048576.0, reserve / 1048576.0);
    }

    // The segment's newest timestamp, loading its index; a segment whose index cannot be read sorts first (it is the
    // oldest of its partition anyway when it can go) and the failure is reported once.
    private long MaxTimestamp(Partition p, Segment s)
    {
        long ts = long.MinValue;
        failures.Run("disk budget index load", p, force: true, () =>
        {
            p.GetIndex(s);
            ts = s.MaxTimestamp;
        });
        return ts;
    }

    private void Evict(TopicConfig topic, Partition partition, Segment segment)
    {
        long from = segment.BaseOffset;
        var segments = partition.Segments;
        int i = segments.ToList().IndexOf(segment);
        long to = i + 1 < segments.Count ? segments[i + 1].BaseOffset : segment.NextOffset;
        var unconsumed = new Dictionary<string, long>();
        foreach (var (group, committed) in log.Offsets.CommittedBy(topic.Name, partition.Id))
        {
            long lost = to - Math.Max(from, committed);
            if (lost > 0) unconsumed[group] = lost;
        }
        long bytes = segment.Size;
        Retention.DeleteSegments(partition, [segment]);
        var tag = new KeyValuePair<string, object?>("topic", topic.Name);
        log.Metrics.EvictedRecords.Add(to - from, tag);
        _evictedRecords += to - from;
        long unconsumedMax = unconsumed.Values.DefaultIfEmpty(0).Max();
        if (unconsumedMax > 0) log.Metrics.EvictedUnconsumed.Add(unconsumedMax, tag);
        logger.LogWarning("{Topic}/{Partition}: disk budget evicted offsets {From}..{To} ({Bytes} bytes); unconsumed by group: {Unconsumed}",
            topic.Name, partition.Id, from, to - 1, bytes, unconsumed.Count == 0 ? "none" : string.Join(", ", unconsumed.Select(kv => $"{kv.Key}={kv.Value}")));
        log.RaiseEvicted(new EvictionEvent(topic.Name, partition.Id, from, to, bytes, unconsumed));
    }
}
