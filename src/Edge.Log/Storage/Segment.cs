using Edge.Log.Format;
using Edge.Log.IO;

namespace Edge.Log.Storage;

/// <summary>
/// One segment: a log file of batches plus its sparse offset and time indexes (FORMAT.md §2, §5).
/// Only the partition's flusher thread writes; readers read the durable prefix concurrently and hold a reference
/// (<see cref="TryAcquire"/>) so retention and compaction can unlink the files under them.
/// </summary>
internal sealed class Segment
{
    private readonly IFileSystem _fs;
    private readonly int _indexInterval;
    private readonly object _refLock = new();
    private SparseIndex? _index;
    private ILogFile? _indexFile;
    private ILogFile? _timeIndexFile;
    private int _persistedEntries;
    private long _lastIndexedPosition = long.MinValue;
    private int _refs;
    private bool _deleted;
    private long _size;

    private Segment(IFileSystem fs, string dir, long baseOffset, ILogFile file, int indexInterval)
    {
        _fs = fs;
        Directory = dir;
        BaseOffset = baseOffset;
        File = file;
        _indexInterval = indexInterval;
    }

    public string Directory { get; }

    public long BaseOffset { get; }

    public ILogFile File { get; }

    public string LogPath => File.Path;

    /// <summary>Bytes of valid batches (for the active segment: everything written, durable or not).</summary>
    public long Size => Volatile.Read(ref _size);

    /// <summary>Offset after the last record, or -1 while unknown (a sealed segment whose index is not loaded yet).</summary>
    public long NextOffset { get; private set; } = -1;

    public long MaxTimestamp { get; private set; } = long.MinValue;

    public bool IsSealed { get; private set; }

    /// <summary>Corrupt byte ranges readers step over (FORMAT.md §7.5).</summary>
    public Quarantine Quarantine { get; } = new();

    /// <summary>Wall-clock time the segment was created or opened, for <see cref="TopicConfig.SegmentMaxAge"/>.</summary>
    public DateTimeOffset OpenedAt { get; private set; }

    public static Segment Create(IFileSystem fs, string dir, long baseOffset, int indexInterval, DateTimeOffset now)
    {
        var file = fs.Open(SegmentFiles.LogPath(dir, baseOffset), create: true);
        file.SetLength(0);
        var s = new Segment(fs, dir, baseOffset, file, indexInterval)
        {
            _index = new SparseIndex(),
            NextOffset = baseOffset,
            OpenedAt = now,
        };
        s.OpenIndexWriters(truncateTo: 0);
        return s;
    }

    /// <summary>Opens a sealed segment without reading it: its index loads on first use.</summary>
    public static Segment OpenSealed(IFileSystem fs, string dir, long baseOffset, int indexInterval, DateTimeOffset now)
    {
        var file = fs.Open(SegmentFiles.LogPath(dir, baseOffset), create: false);
        var s = new Segment(fs, dir, baseOffset, file, indexInterval) { IsSealed = true, OpenedAt = now };
        s._size = file.Length;
        return s;
    }

    /// <summary>
    /// Opens the last segment of a partition for appending. When its index carries a trailer matching the file
    /// (clean shutdown) nothing is scanned; otherwise the tail is validated from the last index entry that points
    /// at a valid batch, and a torn or corrupt tail is truncated (FORMAT.md §9).
    /// </summary>
    public static Segment OpenActive(IFileSystem fs, string dir, long baseOffset, int indexInterval, DateTimeOffset now, out RecoveryReport report)
    {
        var file = fs.Open(SegmentFiles.LogPath(dir, baseOffset), create: false);
        var s = new Segment(fs, dir, baseOffset, file, indexInterval) { OpenedAt = now };
        long fileLength = file.Length;
        var loaded = IndexFileFormat.TryLoad(fs, SegmentFiles.IndexPath(dir, baseOffset), SegmentFiles.TimeIndexPath(dir, baseOffset),
            baseOffset, out string indexProblem);
        if (loaded is { Trailer: { } t } clean && t.SegmentLength == fileLength && fileLength < FormatLimits.MaxSegmentBytes)
        {
            s._index = clean.Index;
            s._size = fileLength;
            s.NextOffset = t.NextOffset;
            s.MaxTimestamp = t.MaxTimestamp;
            s._lastIndexedPosition = clean.Index.Count > 0 ? clean.Index.PositionAt(clean.Index.Count - 1) : long.MinValue;
            s.OpenIndexWriters(truncateTo: clean.Index.Count);
            report = new RecoveryReport(file.Path, true, fileLength, fileLength, 0, "", null);
            return s;
        }

        var index = loaded?.Index ?? new SparseIndex();
        long start = 0, next = baseOffset, maxTs = long.MinValue;
        // Walk back to the last entry that still points at a valid batch with the offset it claims.
        for (int i = index.Count - 1; i >= 0; i--)
        {
            long pos = index.PositionAt(i);
            if (TryReadValidHeader(file, pos, fileLength, out var h) && h.BaseOffset == baseOffset + index.RelOffsetAt(i))
            {
                start = pos;
                next = h.BaseOffset;
                maxTs = i > 0 ? index.MaxTimestampAt(i - 1) : long.MinValue;
                index.TruncateAtPosition(pos);
                break;
            }
            if (i == 0) index.TruncateAtPosition(0);
        }
        s._index = index;
        s._lastIndexedPosition = index.Count > 0 ? index.PositionAt(index.Count - 1) : long.MinValue;
        var scan = SegmentScanner.Scan(file, start, fileLength, next, maxTs, s.IndexBatch);
        if (scan.StopStatus == BatchStatus.UnsupportedVersion)
        {
            int version = ReadVersionAt(file, scan.ValidEnd);
            file.Dispose();
            throw new UnsupportedFormatVersionException(file.Path, scan.ValidEnd, version, BatchHeader.CurrentVersion);
        }
        long dropped = fileLength - scan.ValidEnd;
        if (dropped > 0) file.SetLength(scan.ValidEnd);
        // Recovered bytes may have been in the page cache only: make them durable before index entries point at them.
        file.Sync();
        s._size = scan.ValidEnd;
        s.NextOffset = scan.NextOffset;
        s.MaxTimestamp = scan.MaxTimestamp;
        s.OpenIndexWriters(truncateTo: 0);
        s.PersistIndexEntries();
        report = new RecoveryReport(file.Path, false, start, scan.ValidEnd, dropped,
            dropped > 0 ? scan.StopStatus + ": " + scan.Reason : "", loaded is null ? indexProblem : null);
        return s;
    }

    /// <summary>Appends one sealed batch at the end (flusher thread only). Not durable until <see cref="Sync"/>.</summary>
    public void Append(ReadOnlySpan<byte> batch, long baseOffset, long nextOffset, long maxTimestamp)
    {
        long pos = _size;
        File.Write(batch, pos);
        if (maxTimestamp > MaxTimestamp) MaxTimestamp = maxTimestamp;
        if (_index!.Count == 0 || pos - _lastIndexedPosition >= _indexInterval)
        {
            _index.Add((int)(baseOffset - BaseOffset), (int)pos, MaxTimestamp);
            _lastIndexedPosition = pos;
        }
        NextOffset = nextOffset;
        Volatile.Write(ref _size, pos + batch.Length);
    }

    public void Sync() => File.Sync();

    /// <summary>True once <see cref="WriteSealedIndexes"/> closed the index writers: no more appends belong here.</summary>
    public bool IndexWritersClosed => _indexFile is null;

    /// <summary>
    /// Writes index entries added since the last call to the unsealed index files, once they cover at least
    /// <paramref name="minLogBytes"/> of log past the last entry written (FORMAT.md §5.2). Call only after the log data
    /// they point to is durable, so an entry on disk never points past the durable log (FORMAT.md invariant 6).
    /// </summary>
    public void PersistIndexEntries(long minLogBytes = 0)
    {
        int count = _index!.Count;
        if (count == _persistedEntries || _indexFile is null) return;
        long persistedEnd = _persistedEntries > 0 ? _index.PositionAt(_persistedEntries - 1) : 0;
        if (_index.PositionAt(count - 1) - persistedEnd < minLogBytes) return;
        int n = count - _persistedEntries;
        var offBuf = new byte[n * IndexFileFormat.OffsetEntrySize];
        var timeBuf = new byte[n * IndexFileFormat.TimeEntrySize];
        for (int i = 0; i < n; i++)
        {
            IndexFileFormat.WriteEntry(offBuf.AsSpan(i * IndexFileFormat.OffsetEntrySize), IndexFileFormat.OffsetKind, _index, _persistedEntries + i);
            IndexFileFormat.WriteEntry(timeBuf.AsSpan(i * IndexFileFormat.TimeEntrySize), IndexFileFormat.TimeKind, _index, _persistedEntries + i);
        }
        _indexFile.Write(offBuf, IndexFileFormat.HeaderSize + (long)_persistedEntries * IndexFileFormat.OffsetEntrySize);
        _timeIndexFile!.Write(timeBuf, IndexFileFormat.HeaderSize + (long)_persistedEntries * IndexFileFormat.TimeEntrySize);
        _persistedEntries = count;
    }

    /// <summary>
    /// Makes the segment read-only: syncs the log, writes both indexes with their trailer and syncs them.
    /// Also used at clean shutdown for the active segment, so the next open needs no scan.
    /// </summary>
    public void WriteSealedIndexes(bool markSealed)
    {
        File.Sync();
        var trailer = new IndexTrailer(Size, NextOffset, MaxTimestamp);
        _indexFile?.Dispose();
        _timeIndexFile?.Dispose();
        _indexFile = _timeIndexFile = null;
        WriteWhole(SegmentFiles.IndexPath(Directory, BaseOffset), IndexFileFormat.EncodeSealed(IndexFileFormat.OffsetKind, BaseOffset, _index!, trailer));
        WriteWhole(SegmentFiles.TimeIndexPath(Directory, BaseOffset), IndexFileFormat.EncodeSealed(IndexFileFormat.TimeKind, BaseOffset, _index!, trailer));
        _persistedEntries = _index!.Count;
        if (markSealed) IsSealed = true;
    }

    /// <summary>
    /// The index of a sealed segment, loaded on first use. A missing or damaged index is rebuilt by scanning this
    /// segment alone; <paramref name="rebuilt"/> then describes why.
    /// </summary>
    public SparseIndex GetIndex(out string? rebuilt)
    {
        rebuilt = null;
        var index = Volatile.Read(ref _index);
        if (index is not null) return index;
        lock (_refLock)
        {
            if (_index is not null) return _index;
            var loaded = IndexFileFormat.TryLoad(_fs, SegmentFiles.IndexPath(Directory, BaseOffset), SegmentFiles.TimeIndexPath(Directory, BaseOffset),
                BaseOffset, out string problem);
            if (loaded is { Trailer: { } t } ok && t.SegmentLength == Size)
            {
                NextOffset = t.NextOffset;
                MaxTimestamp = t.MaxTimestamp;
                Volatile.Write(ref _index, ok.Index);
                return ok.Index;
            }
            rebuilt = loaded is null ? problem : loaded.Value.Trailer is null ? "index has no valid trailer" : "index trailer length does not match the log";
            var fresh = new SparseIndex();
            _index = fresh;
            _lastIndexedPosition = long.MinValue;
            var scan = SegmentScanner.Scan(File, 0, Size, BaseOffset, long.MinValue, IndexBatch);
            if (scan.StopStatus != BatchStatus.End)
            {
                _index = null;
                if (scan.StopStatus == BatchStatus.UnsupportedVersion)
                    throw new UnsupportedFormatVersionException(File.Path, scan.ValidEnd, ReadVersionAt(File, scan.ValidEnd), BatchHeader.CurrentVersion);
                throw new CorruptRecordException(File.Path, scan.ValidEnd, scan.Reason);
            }
            NextOffset = scan.NextOffset;
            MaxTimestamp = scan.MaxTimestamp;
            try { WriteSealedIndexes(markSealed: true); }
            catch (IOException) { /* a read-only medium still serves reads from the in-memory index */ }
            return fresh;
        }
    }

    public bool TryAcquire()
    {
        lock (_refLock)
        {
            if (_deleted) return false;
            _refs++;
            return true;
        }
    }

    public void Release()
    {
        lock (_refLock)
        {
            if (--_refs == 0 && _deleted) CloseFiles();
        }
    }

    /// <summary>Unlinks the segment's files; open readers finish on the unlinked inode.</summary>
    public void Delete()
    {
        lock (_refLock)
        {
            if (_deleted) return;
            _deleted = true;
            _fs.DeleteFile(File.Path);
            TryDelete(SegmentFiles.IndexPath(Directory, BaseOffset));
            TryDelete(SegmentFiles.TimeIndexPath(Directory, BaseOffset));
            if (_refs == 0) CloseFiles();
        }
    }

    /// <summary>Closes file handles without deleting (log shutdown).</summary>
    public void Close()
    {
        lock (_refLock)
        {
            _deleted = true;
            if (_refs == 0) CloseFiles();
        }
    }

    private void CloseFiles()
    {
        File.Dispose();
        _indexFile?.Dispose();
        _timeIndexFile?.Dispose();
    }

    private void TryDelete(string path)
    {
        if (_fs.FileExists(path)) _fs.DeleteFile(path);
    }

    private void IndexBatch(in BatchHeader h, long position)
    {
        long maxTs = Math.Max(MaxTimestamp, h.MaxTimestamp);
        MaxTimestamp = maxTs;
        if (_index!.Count == 0 || position - _lastIndexedPosition >= _indexInterval)
        {
            _index.Add((int)(h.BaseOffset - BaseOffset), (int)position, maxTs);
            _lastIndexedPosition = position;
        }
    }

    private void OpenIndexWriters(int truncateTo)
    {
        _indexFile = OpenIndexFile(SegmentFiles.IndexPath(Directory, BaseOffset), IndexFileFormat.OffsetKind, truncateTo);
        _timeIndexFile = OpenIndexFile(SegmentFiles.TimeIndexPath(Directory, BaseOffset), IndexFileFormat.TimeKind, truncateTo);
        _persistedEntries = truncateTo;
    }

    private ILogFile OpenIndexFile(string path, byte kind, int entries)
    {
        var f = _fs.Open(path, create: true);
        Span<byte> header = stackalloc byte[IndexFileFormat.HeaderSize];
        IndexFileFormat.WriteHeader(header, kind, BaseOffset);
        f.Write(header, 0);
        f.SetLength(IndexFileFormat.HeaderSize + (long)entries * IndexFileFormat.EntrySize(kind));
        return f;
    }

    private void WriteWhole(string path, byte[] bytes)
    {
        using var f = _fs.Open(path, create: true);
        f.SetLength(0);
        f.Write(bytes, 0);
        f.Sync();
    }

    private static bool TryReadValidHeader(ILogFile file, long pos, long fileLength, out BatchHeader header)
    {
        header = default;
        if (pos < 0 || pos >= fileLength) return false;
        Span<byte> head = stackalloc byte[BatchHeader.Size];
        int n = file.Read(head, pos);
        if (BatchValidator.CheckHeader(head[..n], fileLength - pos, FormatLimits.MaxBatchBytes, out header, out _) != BatchStatus.Valid)
            return false;
        var batch = new byte[header.Length];
        file.Read(batch, pos);
        return BatchValidator.CheckBody(batch, header, out _) == BatchStatus.Valid;
    }

    private static int ReadVersionAt(ILogFile file, long pos)
    {
        Span<byte> b = stackalloc byte[2];
        return file.Read(b, pos) == 2 ? b[1] : -1;
    }
}
