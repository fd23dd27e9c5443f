using System.Collections.Concurrent;
using Edge.Log.Catalog;
using Microsoft.Extensions.Logging;

namespace Edge.Log.Consumers;

/// <summary>
/// Committed offsets of every consumer group. Commits are staged in memory and written to the catalog in batches
/// (one LiteDB transaction and one checkpoint fsync per batch, at most every OffsetCommitInterval); a commit's task
/// completes when its batch is durable. Reads see the latest durable commit.
/// </summary>
internal sealed class OffsetStore : IDisposable
{
    private readonly LogCatalog _catalog;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly object _lock = new();
    private readonly ConcurrentDictionary<(string Group, string Topic, int Partition), long> _committed = new();
    private readonly ConcurrentDictionary<string, ConsumerGroup> _groups = new(StringComparer.Ordinal);
    // Not disposed: a SemaphoreSlim holds no kernel handle unless AvailableWaitHandle is read (never here), and a
    // CommitAsync racing Dispose would otherwise fail in Release instead of through its batch task.
#pragma warning disable CA2213
    private readonly SemaphoreSlim _wake = new(0);
#pragma warning restore CA2213
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private Dictionary<(string, string, int), long> _staged = [];
    private TaskCompletionSource _batch = New();

    public OffsetStore(LogCatalog catalog, TimeSpan interval, TimeProvider time, ILogger log)
    {
        _catalog = catalog;
        _interval = interval;
        _time = time;
        _log = log;
        foreach (var d in catalog.LoadOffsets()) _committed[(d.Group, d.Topic, d.Partition)] = d.Offset;
        _loop = Task.Run(WriteLoop);
    }

    public ConsumerGroup Group(string groupId, EdgeLog log)
    {
        if (string.IsNullOrWhiteSpace(groupId)) throw new ArgumentException("a consumer group needs a non-empty id", nameof(groupId));
        return _groups.GetOrAdd(groupId, id => new ConsumerGroup(id, log, this));
    }

    public long? Committed(string group, string topic, int partition) =>
        _committed.TryGetValue((group, topic, partition), out long o) ? o : null;

    /// <summary>Every group's committed offset on a partition.</summary>
    public IReadOnlyDictionary<string, long> CommittedBy(string topic, int partition) =>
        _committed.Where(kv => kv.Key.Topic == topic && kv.Key.Partition == partition).ToDictionary(kv => kv.Key.Group, kv => kv.Value);

    /// <summary>Stages commits; the task completes when they are durable in the catalog.</summary>
    public Task CommitAsync(string group, IEnumerable<(string Topic, int Partition, long Offset)> offsets)
    {
        Task done;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            foreach (var (t, p, o) in offsets) _staged[(group, t, p)] = o;
            done = _batch.Task;
        }
        _wake.Release();
        return done;
    }

    private async Task WriteLoop()
    {
        while (true)
        {
            try
            {
                await _wake.WaitAsync(_stop.Token).ConfigureAwait(false);
                if (_interval > TimeSpan.Zero) await Task.Delay(_interval, _time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                WriteStaged();
                return;
            }
            WriteStaged();
        }
    }

    private void WriteStaged()
    {
        Dictionary<(string, string, int), long> staged;
        TaskCompletionSource batch;
        // Consume the wake-ups first: every commit that signalled so far is staged and goes into this batch. A commit
        // staged after this point keeps its own signal for the next pass (draining after the swap would lose it).
        while (_wake.CurrentCount > 0) _wake.Wait(0);
        lock (_lock)
        {
            if (_staged.Count == 0) return;
            staged = _staged;
            batch = _batch;
            _staged = [];
            _batch = New();
        }
        try
        {
            var now = _time.GetUtcNow().UtcDateTime;
            _catalog.SaveOffsets(staged.Select(kv => new OffsetDocument
            {
                Id = $"{kv.Key.Item1}|{kv.Key.Item2}|{kv.Key.Item3}",
                Group = kv.Key.Item1,
                Topic = kv.Key.Item2,
                Partition = kv.Key.Item3,
                Offset = kv.Value,
                UpdatedUtc = now,
            }).ToList());
            foreach (var kv in staged) _committed[kv.Key] = kv.Value;
            batch.TrySetResult();
        }
        catch (Exception e)
        {
            _log.LogError(e, "writing {Count} consumer offsets to the catalog failed", staged.Count);
            batch.TrySetException(new LogException($"committing consumer offsets failed: {e.Message}", e));
        }
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose()
    {
        lock (_lock)
        {
            if (_stop.IsCancellationRequested) return;
            _stop.Cancel();
        }
        _loop.GetAwaiter().GetResult();
        lock (_lock) _batch.TrySetException(new ObjectDisposedException(nameof(EdgeLog)));
        // The loop has ended; IsCancellationRequested (CommitAsync's check) stays readable after Dispose.
        _stop.Dispose();
    }
}
