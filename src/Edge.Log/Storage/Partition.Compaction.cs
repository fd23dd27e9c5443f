using Edge.Log.Format;

namespace Edge.Log.Storage;

internal sealed partial class Partition
{
    /// <summary>
    /// Replaces a sealed segment by one holding only <paramref name="keep"/> (same offsets). Crash-safe through the
    /// .cleaned → .swap → .log renames (FORMAT.md §7.2): before the .swap rename the old segment stands, after it
    /// the new one does, and <see cref="CompleteInterruptedSwaps"/> finishes the job at the next open.
    /// </summary>
    internal void SwapCompacted(Segment old, IReadOnlyList<LogRecord> keep)
    {
        if (keep.Count == 0)
        {
            Maintenance.Retention.DeleteSegments(this, [old]);
            return;
        }
        string name = SegmentFiles.Name(old.BaseOffset);
        string cleaned = Path.Combine(Directory, name + SegmentFiles.CleanedSuffix);
        string swap = Path.Combine(Directory, name + SegmentFiles.SwapSuffix);
        using (var f = _fs.Open(cleaned, create: true))
        {
            f.SetLength(0);
            long pos = 0;
            var builder = new BatchBuilder();
            foreach (var r in keep)
            {
                if (builder.Count > 0 && builder.SizeInBytes >= TargetGroupBytes) pos += WriteBatch(f, builder, pos);
                if (builder.Count == 0) builder.Reset(r.Offset);
                builder.Add(r.Offset, new Record(r.Key, r.Value, r.Timestamp, r.Headers.Count == 0 ? null : r.Headers));
            }
            if (builder.Count > 0) WriteBatch(f, builder, pos);
            f.Sync();
        }
        _fs.Move(cleaned, swap);
        _fs.SyncDirectory(Directory); // commit point: from here on the compacted segment wins
        lock (_segmentsLock)
        {
            foreach (var idx in new[] { SegmentFiles.IndexPath(Directory, old.BaseOffset), SegmentFiles.TimeIndexPath(Directory, old.BaseOffset) })
                if (_fs.FileExists(idx)) _fs.DeleteFile(idx);
            _fs.Move(swap, SegmentFiles.LogPath(Directory, old.BaseOffset));
            _fs.SyncDirectory(Directory);
            var fresh = Segment.OpenSealed(_fs, Directory, old.BaseOffset, _options.IndexIntervalBytes, old.OpenedAt);
            fresh.GetIndex(out _); // writes the sealed indexes of the new file
            Volatile.Write(ref _segments, _segments.Select(s => s == old ? fresh : s).ToArray());
        }
        old.Close(); // its path now names the new file: close the handle, do not unlink
    }

    private static int WriteBatch(IO.ILogFile file, BatchBuilder builder, long position)
    {
        var bytes = builder.Seal();
        file.Write(bytes.Span, position);
        int length = bytes.Length;
        builder.Reset(0);
        return length;
    }
}
