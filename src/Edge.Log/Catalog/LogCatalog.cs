using Edge.Log.IO;
using LiteDB;

namespace Edge.Log.Catalog;

/// <summary>
/// Topic definitions and committed consumer offsets in LiteDB (FORMAT.md §8): the data file and its WAL
/// ("catalog-log.db", the name LiteDB gives it beside a file of its own), both opened through the
/// <see cref="IFileSystem"/> seam and handed to LiteDB as streams, so the fault-injecting file system covers commits.
/// Every write ends with a checkpoint, which syncs the WAL and then the data file: a write is durable when the call
/// returns. Offset commits are batched by the caller so one checkpoint covers many. One LiteDatabase shared by all
/// threads; transactions never cross an await (they are per thread in LiteDB).
/// </summary>
internal sealed class LogCatalog : IDisposable
{
    private static readonly List<LiteDatabase> Abandoned = []; // see Write
    private readonly Stream _data;
    private readonly Stream _wal;
    private readonly LiteDatabase _db;
    private readonly object _lock = new();
    private readonly ILiteCollection<TopicDocument> _topics;
    private readonly ILiteCollection<OffsetDocument> _offsets;
    private Exception? _failure;

    public LogCatalog(IFileSystem fs, string path)
    {
        string walPath = Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path));
        bool created = !fs.FileExists(path) || !fs.FileExists(walPath);
        var wal = new LogFileStream(fs.Open(walPath, create: true));
        _wal = wal;
        _data = Stream.Null;
        try
        {
            // LiteDB copies a commit from its WAL into the data file at the checkpoint without syncing the WAL first,
            // so a power loss during that copy could leave a torn data page with nothing to redo it from. The barrier
            // syncs the WAL before the data file is touched: the copy can always be redone (FORMAT.md §8).
            _data = new LogFileStream(fs.Open(path, create: true)) { BeforeWrite = wal.FlushIfWritten };
            // A checkpoint replays the WAL into the data file; both names must survive a power loss before either is
            // written to (fsync(2) does not sync the directory entry of a new file).
            if (created) fs.SyncDirectory(Path.GetDirectoryName(path)!);
            _db = new LiteDatabase(_data, logStream: _wal);
            _db.CheckpointSize = 0; // we checkpoint explicitly after every write
            _topics = _db.GetCollection<TopicDocument>("topics");
            _offsets = _db.GetCollection<OffsetDocument>("offsets");
        }
        catch (Exception e)
        {
            _data.Dispose();
            _wal.Dispose();
            if (e is LiteException) throw new LogException($"catalog {path} is unreadable: {e.Message}", e);
            throw;
        }
    }

    public IReadOnlyList<TopicConfig> LoadTopics()
    {
        lock (_lock) return _topics.FindAll().Select(d => d.ToConfig()).ToList();
    }

    public void SaveTopic(TopicConfig config) => Write(() => _topics.Upsert(TopicDocument.From(config)));

    public IReadOnlyList<OffsetDocument> LoadOffsets()
    {
        lock (_lock) return _offsets.FindAll().ToList();
    }

    /// <summary>Writes a batch of commits in one transaction and one checkpoint (fsync).</summary>
    public void SaveOffsets(IReadOnlyCollection<OffsetDocument> batch)
    {
        if (batch.Count == 0) return;
        Write(() =>
        {
            _db.BeginTrans();
            foreach (var d in batch) _offsets.Upsert(d);
            _db.Commit();
        });
    }

    // One write and its checkpoint. After a failed write the catalog stops, as a partition does (FORMAT.md §8): LiteDB's
    // cache may then hold pages it can neither write nor discard (its rollback fails with "discarded page must be
    // writable"), and only reopening, whose WAL replay keeps the last durable commit, is safe.
    private void Write(Action write)
    {
        lock (_lock)
        {
            if (_failure is not null) throw new LogException($"the catalog stopped after a failed write ({_failure.Message}); reopen the log to recover", _failure);
            try
            {
                write();
                _db.Checkpoint();
            }
            catch (Exception e)
            {
                _failure = e;
                // The broken transaction's finalizer throws the same error and would take the process down: keep this
                // database reachable (never disposed) until the process ends, when finalizers do not run.
                lock (Abandoned) Abandoned.Add(_db);
                throw;
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            try
            {
                if (_failure is null) _db.Dispose(); // checkpoints what the WAL still holds; LiteDB leaves streams it was given open
            }
            finally
            {
                // The WAL file stays, empty after the last checkpoint: creating it again at every open would cost a
                // directory fsync each time.
                _data.Dispose();
                _wal.Dispose();
            }
        }
    }
}
