using Edge.Log.Storage;
using Microsoft.Extensions.Logging;

namespace Edge.Log.Maintenance;

/// <summary>
/// Log compaction for <see cref="CleanupPolicy.Compact"/> topics (FORMAT.md §7.2): keeps the latest record per key in
/// sealed segments, and drops tombstones older than TombstoneRetention. Offsets never change (gaps appear); the
/// active segment is never touched, so appends proceed meanwhile.
/// </summary>
internal static class Compactor
{
    private const int ReadChunk = 4 << 20;

    public static (int Segments, long Records) Run(EdgeLog log, FailureBackoff failures, bool force, ILogger logger)
    {
        int segments = 0;
        long records = 0;
        long now = log.Time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var topic in log.TopicStates.Where(t => t.Config.Cleanup == CleanupPolicy.Compact))
        {
            long tombstoneCutoff = now - (long)topic.Config.TombstoneRetention.TotalMilliseconds;
            foreach (var p in topic.Partitions)
            {
                failures.Run("compaction", p, force, () =>
                {
                    var (s, r) = CompactPartition(log, p, tombstoneCutoff);
                    segments += s;
                    records += r;
                    if (r > 0)
                    {
                        log.Metrics.CompactedRecords.Add(r, new KeyValuePair<string, object?>("topic", topic.Config.Name));
                        logger.LogInformation("{Topic}/{Partition}: compaction removed {Records} records from {Segments} segment(s)", topic.Config.Name, p.Id, r, s);
                    }
                });
            }
        }
        return (segments, records);
    }

    public static (int Segments, long Records) CompactPartition(EdgeLog log, Partition p, long tombstoneCutoff)
    {
        var sealedSegments = p.Segments.Take(p.Segments.Count - 1).ToList();
        if (sealedSegments.Count == 0) return (0, 0);

        // Pass 1: the latest offset of every key among all durable records.
        var latest = new Dictionary<byte[], long>(ByteKeyComparer.Instance);
        long offset = p.LogStartOffset;
        long hw = p.HighWatermark;
        while (offset < hw)
        {
            var result = p.Read(offset, ReadChunk);
            foreach (var r in result.Records)
                if (r.Key is { } k) latest[k.ToArray()] = r.Offset;
            if (result.NextOffset <= offset) break;
            offset = result.NextOffset;
        }

        // Pass 2: rewrite each sealed segment that holds a superseded record or an expired tombstone.
        int rewritten = 0;
        long removed = 0;
        foreach (var s in sealedSegments)
        {
            if (!s.TryAcquire()) continue;
            List<LogRecord> all = [];
            try
            {
                using var cursor = new BatchCursor(s, 0, s.Size, ReadChunk);
                while (cursor.TryNext(out var batch, out var header))
                    Format.RecordDecoder.Decode(batch, header, p.Id, 0, all, s.LogPath, cursor.Position - header.Length);
            }
            finally
            {
                s.Release();
            }
            var keep = all.Where(r => r.Key is { } k && latest.TryGetValue(k.ToArray(), out long last) && last == r.Offset
                                      && !(r.IsTombstone && r.Timestamp < tombstoneCutoff)).ToList();
            if (keep.Count == all.Count) continue;
            CompactionSwap.Run(p, log.FileSystem, log.Options.IndexIntervalBytes, s, keep);
            rewritten++;
            removed += all.Count - keep.Count;
        }
        return (rewritten, removed);
    }
}
