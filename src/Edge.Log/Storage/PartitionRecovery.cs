using Edge.Log.IO;
using Microsoft.Extensions.Logging;

namespace Edge.Log.Storage;

/// <summary>
/// Opens a partition's directory (FORMAT.md §9): finishes or discards an interrupted compaction swap, drops orphan
/// indexes, reads the offset lease, opens the sealed segments without reading them and recovers the active one.
/// </summary>
internal static class PartitionRecovery
{
    /// <summary>The partition's segments (the last one active), its offset lease, and the offset the next append gets.</summary>
    public static (Segment[] Segments, OffsetLease Lease, long NextOffset) Open(PartitionContext p)
    {
        var fs = p.FileSystem;
        string dir = p.Directory;
        fs.CreateDirectory(dir);
        var now = p.Time.GetUtcNow();
        CompleteInterruptedSwaps(fs, dir, p.Log);
        var bases = fs.EnumerateFiles(dir)
            .Select(f => SegmentFiles.TryParse(f, SegmentFiles.LogSuffix, out long b) ? b : -1)
            .Where(b => b >= 0).OrderBy(b => b).ToList();
        DeleteOrphanIndexes(fs, dir, bases);
        var lease = OffsetLease.Open(fs, dir);
        var segments = new List<Segment>();
        if (bases.Count == 0)
        {
            segments.Add(Segment.Create(fs, dir, lease.End, p.Options.IndexIntervalBytes, now));
            fs.SyncDirectory(dir);
        }
        else
        {
            for (int i = 0; i < bases.Count - 1; i++)
                segments.Add(Segment.OpenSealed(fs, dir, bases[i], p.Options.IndexIntervalBytes, now));
            var active = Segment.OpenActive(fs, dir, bases[^1], p.Options.IndexIntervalBytes, now, out var report);
            segments.Add(active);
            LogRecovery(p, report);
        }
        long next = Math.Max(segments[^1].NextOffset, lease.End);
        if (next > segments[^1].NextOffset)
            p.Log.LogWarning("{Topic}/{Partition}: resuming at offset {Next} after the page-cache lease; offsets {From}..{To} were lost or never used and stay unused",
                p.Topic, p.Id, next, segments[^1].NextOffset, next - 1);
        return (segments.ToArray(), lease, next);
    }

    private static void LogRecovery(PartitionContext p, RecoveryReport r)
    {
        if (r.IndexProblem is not null)
            p.Log.LogWarning("{Topic}/{Partition}: rebuilt the index of {File}: {Problem}", p.Topic, p.Id, r.File, r.IndexProblem);
        if (r.BytesDropped > 0)
        {
            p.Metrics.RecoveryTruncatedBytes.Add(r.BytesDropped, new KeyValuePair<string, object?>("topic", p.Topic));
            p.Log.LogWarning("{Topic}/{Partition}: recovery truncated {File} at byte {Position}, dropping {Bytes} bytes ({Reason})",
                p.Topic, p.Id, r.File, r.TruncatedAt, r.BytesDropped, r.Reason);
        }
        else if (!r.Clean)
        {
            p.Log.LogInformation("{Topic}/{Partition}: unclean shutdown; validated {File} from byte {From} to {End}, nothing dropped",
                p.Topic, p.Id, r.File, r.ScannedFrom, r.TruncatedAt);
        }
    }

    // A compaction interrupted after its commit point left "<base>.swap": finish it. A ".cleaned" file is an
    // unfinished compaction output and is discarded (FORMAT.md §7.2; the swap itself is Maintenance.CompactionSwap).
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
                SegmentFiles.DeleteIndexes(fs, dir, b);
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
