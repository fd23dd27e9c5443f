namespace Edge.Log.Consumers;

/// <summary>
/// One member of a consumer group. It reads its assigned partitions from the group's committed offsets and
/// commits what it has processed. Use it from one task at a time; assignment changes arrive through rebalances.
/// </summary>
public sealed class GroupMember : IDisposable
{
    private readonly ConsumerGroup _group;
    private readonly EdgeLog _log;
    private readonly object _lock = new();
    private Dictionary<TopicPartition, long> _positions = [];
    private TaskCompletionSource _reassigned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _next;

    internal GroupMember(string id, ConsumerGroup group, EdgeLog log, string[] topics)
    {
        Id = id;
        _group = group;
        _log = log;
        Topics = topics;
    }

    public string Id { get; }

    public IReadOnlyList<string> Topics { get; }

    public int Generation { get; private set; }

    public IReadOnlyList<TopicPartition> Assignment
    {
        get { lock (_lock) return _positions.Keys.OrderBy(tp => tp.Topic, StringComparer.Ordinal).ThenBy(tp => tp.Partition).ToList(); }
    }

    /// <summary>Raised after a rebalance changed this member's assignment.</summary>
    public event Action<GroupMember>? AssignmentChanged;

    /// <summary>
    /// Returns the next durable records of one assigned partition (rotating between partitions), waiting — without
    /// polling — until some assigned partition has data or <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task<IReadOnlyList<LogRecord>> PollAsync(int maxBytes = 1 << 20, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task reassigned;
            List<(TopicPartition Tp, long Position)> positions;
            lock (_lock)
            {
                reassigned = _reassigned.Task;
                positions = _positions.Select(kv => (kv.Key, kv.Value)).ToList();
            }
            for (int i = 0; i < positions.Count; i++)
            {
                var (tp, pos) = positions[(_next + i) % positions.Count];
                var result = _log.Read(tp.Topic, tp.Partition, pos, maxBytes);
                lock (_lock)
                {
                    if (!_positions.TryGetValue(tp, out long current) || current != pos) continue; // rebalanced meanwhile
                    _positions[tp] = result.NextOffset;
                }
                if (result.Records.Count > 0)
                {
                    _next = (_next + i + 1) % positions.Count;
                    return result.Records;
                }
            }
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var waits = positions.Select(p => _log.WaitForDataAsync(p.Tp.Topic, p.Tp.Partition, p.Position, cts.Token)).Append(reassigned);
            await Task.WhenAny(waits).WaitAsync(cancellationToken).ConfigureAwait(false);
            cts.Cancel();
        }
    }

    /// <summary>Commits <paramref name="nextOffset"/> (the next offset to read) for a partition; completes when durable.</summary>
    public Task CommitAsync(string topic, int partition, long nextOffset) =>
        _group.CommitAsync(this, Generation, [(topic, partition, nextOffset)]);

    /// <summary>Commits the current read position of every assigned partition; completes when durable.</summary>
    public Task CommitAsync()
    {
        List<(string, int, long)> offsets;
        lock (_lock) offsets = _positions.Select(kv => (kv.Key.Topic, kv.Key.Partition, kv.Value)).ToList();
        return _group.CommitAsync(this, Generation, offsets);
    }

    /// <summary>Moves the read position of an assigned partition.</summary>
    public void Seek(string topic, int partition, long offset)
    {
        lock (_lock)
        {
            var tp = new TopicPartition(topic, partition);
            if (!_positions.ContainsKey(tp)) throw new RebalanceException($"member '{Id}' does not own {tp}");
            _positions[tp] = offset;
        }
    }

    /// <summary>Leaves the group; its partitions move to the remaining members.</summary>
    public void Dispose() => _group.Leave(this);

    internal bool Owns(TopicPartition tp)
    {
        lock (_lock) return _positions.ContainsKey(tp);
    }

    internal void Assign(int generation, List<TopicPartition> partitions)
    {
        TaskCompletionSource old;
        bool changed;
        lock (_lock)
        {
            var positions = new Dictionary<TopicPartition, long>();
            foreach (var tp in partitions)
            {
                positions[tp] = _positions.TryGetValue(tp, out long kept) ? kept
                    : _group.CommittedOffset(tp.Topic, tp.Partition) ?? _log.GetPartitionInfo(tp.Topic, tp.Partition).LogStartOffset;
            }
            changed = !positions.Keys.ToHashSet().SetEquals(_positions.Keys);
            _positions = positions;
            Generation = generation;
            old = _reassigned;
            _reassigned = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        old.TrySetResult();
        if (changed) AssignmentChanged?.Invoke(this);
    }
}
