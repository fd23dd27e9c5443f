using Edge.Log.Storage;
using Microsoft.Extensions.Logging;

namespace Edge.Log.Maintenance;

/// <summary>
/// Keeps the whole log under LogOptions.DiskBudgetBytes (FORMAT.md §7.3): evicts the oldest sealed segments of the
/// lowest-priority Evict topics first; if that is not enough, appends to Block topics wait until space frees.
/// Every eviction is logged, counted, and reported with the records each consumer group had not consumed.
/// </summary>
internal static class DiskBudget
{
    public static (int Evicted, bool Blocking) Enforce(EdgeLog log, ILogger logger)
    {
        long budget = log.Options.DiskBudgetBytes;
        var topics = log.TopicStates.ToList();
        if (budget <= 0) return (0, false);
        long total = topics.Sum(t => t.Partitions.Sum(p => p.SizeInBytes));
        int evicted = 0;
        if (total > budget)
        {
            var candidates = topics.Where(t => t.Config.Overflow == OverflowPolicy.Evict)
                .SelectMany(t => t.Partitions.SelectMany(p => p.Segments.Take(p.Segments.Count - 1).Select(s => (Topic: t, Partition: p, Segment: s))))
                .OrderBy(c => c.Topic.Config.Priority)
                .ThenBy(c => { c.Partition.GetIndex(c.Segment); return c.Segment.MaxTimestamp; })
                .ToList();
            foreach (var (topic, partition, segment) in candidates)
            {
                if (total <= budget) break;
                // Only the oldest remaining segment of a partition may go, so each partition stays a contiguous range.
                if (partition.Segments[0] != segment) continue;
                Evict(log, logger, topic.Config, partition, segment);
                total -= segment.Size;
                evicted++;
            }
        }
        bool blocking = total > budget;
        foreach (var t in topics.Where(t => t.Config.Overflow == OverflowPolicy.Block))
            foreach (var p in t.Partitions)
            {
                if (blocking && !p.IsBudgetBlocked)
                    logger.LogWarning("{Topic}/{Partition}: disk budget of {Budget} bytes reached ({Total} used); appends wait until space frees",
                        t.Config.Name, p.Id, budget, total);
                p.SetBudgetBlocked(blocking);
            }
        return (evicted, blocking);
    }

    private static void Evict(EdgeLog log, ILogger logger, TopicConfig topic, Partition partition, Segment segment)
    {
        long from = segment.BaseOffset;
        var segments = partition.Segments;
        int i = Array.IndexOf(segments.ToArray(), segment);
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
        long unconsumedMax = unconsumed.Values.DefaultIfEmpty(0).Max();
        if (unconsumedMax > 0) log.Metrics.EvictedUnconsumed.Add(unconsumedMax, tag);
        logger.LogWarning("{Topic}/{Partition}: disk budget evicted offsets {From}..{To} ({Bytes} bytes); unconsumed by group: {Unconsumed}",
            topic.Name, partition.Id, from, to - 1, bytes, unconsumed.Count == 0 ? "none" : string.Join(", ", unconsumed.Select(kv => $"{kv.Key}={kv.Value}")));
        log.RaiseEvicted(new EvictionEvent(topic.Name, partition.Id, from, to, bytes, unconsumed));
    }
}
