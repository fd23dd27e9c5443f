using Edge.Log.Storage;
using Microsoft.Extensions.Logging;

namespace Edge.Log.Maintenance;

/// <summary>
/// Deletes whole sealed segments by age (newest record older than RetentionTime) and by size (oldest first while a
/// partition exceeds RetentionBytes). The active segment is never deleted, so offsets never restart.
/// </summary>
internal static class Retention
{
    /// <summary>Runs retention for every partition; one partition's failure is <paramref name="failures"/>' to report, not the others'.</summary>
    public static int Run(EdgeLog log, FailureBackoff failures, bool force, ILogger logger)
    {
        int deleted = 0;
        long now = log.Time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var topic in log.TopicStates)
        {
            var c = topic.Config;
            if (c.Cleanup != CleanupPolicy.Delete) continue;
            foreach (var p in topic.Partitions)
                failures.Run("retention", p, force, () => deleted += RunPartition(log, c, p, now, logger));
        }
        return deleted;
    }

    private static int RunPartition(EdgeLog log, TopicConfig c, Partition p, long now, ILogger logger)
    {
        var segments = p.Segments;
        long size = p.SizeInBytes;
        var doomed = new List<Segment>();
        for (int i = 0; i < segments.Count - 1; i++)
        {
            var s = segments[i];
            p.GetIndex(s); // loads MaxTimestamp from the trailer (or rebuilds, logged)
            bool expired = c.RetentionTime is { } rt && s.MaxTimestamp < now - (long)rt.TotalMilliseconds;
            bool oversize = c.RetentionBytes is { } rb && size > rb;
            if (!expired && !oversize) break; // keep a contiguous suffix: never delete past a kept segment
            doomed.Add(s);
            size -= s.Size;
        }
        if (doomed.Count == 0) return 0;
        DeleteSegments(p, doomed);
        log.Metrics.RetentionDeletedSegments.Add(doomed.Count, new KeyValuePair<string, object?>("topic", c.Name));
        logger.LogInformation("{Topic}/{Partition}: retention deleted {Count} segment(s), log now starts at offset {Start}",
            c.Name, p.Id, doomed.Count, p.LogStartOffset);
        return doomed.Count;
    }

    /// <summary>Removes segments from the partition, then unlinks their files (readers holding them finish first).</summary>
    public static void DeleteSegments(Partition p, IReadOnlyCollection<Segment> doomed)
    {
        p.Ledger.Replace(s => s.Where(x => !doomed.Contains(x)).ToArray());
        foreach (var s in doomed) s.Delete();
        p.SyncDirectory();
    }
}
