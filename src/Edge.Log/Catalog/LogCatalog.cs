using LiteDB;

namespace Edge.Log.Catalog;

/// <summary>
/// Topic definitions and committed consumer offsets in one LiteDB file (FORMAT.md §8). LiteDB appends each commit
/// to its WAL without fsync and fsyncs only at checkpoints, so every write here ends with a checkpoint: a write
/// is durable when the call returns. Offset commits are batched by the caller so one checkpoint covers many.
/// One LiteDatabase shared by all threads; transactions never cross an await (they are per thread in LiteDB).
/// </summary>
internal sealed class LogCatalog : IDisposable
{
    private readonly LiteDatabase _db;
    private readonly object _lock = new();
    private readonly ILiteCollection<TopicDocument> _topics;
    private readonly ILiteCollection<OffsetDocument> _offsets;

    public LogCatalog(string path)
    {
        try
        {
            _db = new LiteDatabase($"Filename={path};Connection=direct");
            _db.CheckpointSize = 0; // we checkpoint explicitly after every write
            _topics = _db.GetCollection<TopicDocument>("topics");
            _offsets = _db.GetCollection<OffsetDocument>("offsets");
        }
        catch (LiteException e)
        {
            throw new LogException($"catalog {path} is unreadable: {e.Message}", e);
        }
    }

    public IReadOnlyList<TopicConfig> LoadTopics()
    {
        lock (_lock) return _topics.FindAll().Select(d => d.ToConfig()).ToList();
    }

    public void SaveTopic(TopicConfig config)
    {
        lock (_lock)
        {
            _topics.Upsert(TopicDocument.From(config));
            _db.Checkpoint();
        }
    }

    public IReadOnlyList<OffsetDocument> LoadOffsets()
    {
        lock (_lock) return _offsets.FindAll().ToList();
    }

    /// <summary>Writes a batch of commits in one transaction and one checkpoint (fsync).</summary>
    public void SaveOffsets(IReadOnlyCollection<OffsetDocument> batch)
    {
        if (batch.Count == 0) return;
        lock (_lock)
        {
            _db.BeginTrans();
            try
            {
                foreach (var d in batch) _offsets.Upsert(d);
                _db.Commit();
            }
            catch
            {
                _db.Rollback();
                throw;
            }
            _db.Checkpoint();
        }
    }

    public void Dispose()
    {
        lock (_lock) _db.Dispose();
    }
}
