using Edge.Log.Format;
using Edge.Log.IO;
using Edge.Log.Storage;

namespace Edge.Log.Maintenance;

/// <summary>
/// Replaces a sealed segment by its compacted copy, crash-safe through the .cleaned → .swap → .log renames (FORMAT.md
/// §7.2): before the .swap rename the old segment stands, after it the new one does, and recovery finishes an
/// interrupted swap at the next open (<see cref="PartitionRecovery"/>). Maintenance thread only.
/// </summary>
internal static class CompactionSwap
{
    /// <summary>Replaces <paramref name="old"/> by a segment holding only <paramref name="keep"/> (same offsets).</summary>
    public static void Run(Partition p, IFileSystem fs, int indexIntervalBytes, Segment old, IReadOnlyList<LogRecord> keep)
    {
        if (keep.Count == 0)
        {
            Retention.DeleteSegments(p, [old]);
            return;
        }
        string dir = p.Directory;
        string name = SegmentFiles.Name(old.BaseOffset);
        string cleaned = Path.Combine(dir, name + SegmentFiles.CleanedSuffix);
        string swap = Path.Combine(dir, name + SegmentFiles.SwapSuffix);
        using (var f = fs.Open(cleaned, create: true))
        {
            f.SetLength(0);
            long pos = 0;
            var builder = new BatchBuilder();
            foreach (var r in keep)
            {
                if (builder.Count > 0 && builder.SizeInBytes >= AppendQueue.TargetGroupBytes) pos += WriteBatch(f, builder, pos);
                if (builder.Count == 0) builder.Reset(r.Offset);
                builder.Add(r.Offset, new Record(r.Key, r.Value, r.Timestamp, r.Headers.Count == 0 ? null : r.Headers));
            }
            if (builder.Count > 0) WriteBatch(f, builder, pos);
            f.Sync();
        }
        fs.Move(cleaned, swap);
        fs.SyncDirectory(dir); // commit point: from here on the compacted segment wins
        p.Ledger.Replace(segments =>
        {
            SegmentFiles.DeleteIndexes(fs, dir, old.BaseOffset);
            fs.Move(swap, SegmentFiles.LogPath(dir, old.BaseOffset));
            fs.SyncDirectory(dir);
            var fresh = Segment.OpenSealed(fs, dir, old.BaseOffset, indexIntervalBytes, old.OpenedAt);
            fresh.GetIndex(out _); // writes the sealed indexes of the new file
            return segments.Select(s => s == old ? fresh : s).ToArray();
        });
        old.Close(); // its path now names the new file: close the handle, do not unlink
    }

    private static int WriteBatch(ILogFile file, BatchBuilder builder, long position)
    {
        var bytes = builder.Seal();
        file.Write(bytes.Span, position);
        int length = bytes.Length;
        builder.Reset(0);
        return length;
    }
}
