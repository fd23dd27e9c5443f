namespace Edge.Log.Consumers;

/// <summary>
/// A named consumer group: members share the partitions of the topics they subscribe to, each partition owned by
/// exactly one member; any join or leave rebalances (a new generation). Offsets are committed per partition and
/// survive restarts. Thread-safe.
/// </summary>
public sealed class ConsumerGroup
{
    private readonly EdgeLog _log;
    private readonly OffsetStore _offsets;
    private readonly object _lock = new();
    private readonly List<GroupMember> _members = [];

    internal ConsumerGroup(string id, EdgeLog log, OffsetStore offsets)
    {
        Id = id;
        _log = log;
        _offsets = offsets;
    }

    public string Id { get; }

    /// <summary>Increases with every rebalance; commits from an older generation for a moved partition are refused.</summary>
    public int Generation { get; private set; }

    public IReadOnlyList<GroupMember> Members
    {
        get { lock (_lock) return _members.ToList(); }
    }

    /// <summary>Adds a member subscribed to <paramref name="topics"/> and rebalances the group.</summary>
    public GroupMember Join(string memberId, params string[] topics)
    {
        if (topics.Length == 0) throw new ArgumentException("subscribe to at least one topic", nameof(topics));
        foreach (var t in topics) _log.Topic(t); // unknown topics fail here, naming the topic
        lock (_lock)
        {
            if (_members.Any(m => m.Id == memberId)) throw new ArgumentException($"member '{memberId}' is already in group '{Id}'", nameof(memberId));
            var member = new GroupMember(memberId, this, _log, topics.Distinct(StringComparer.Ordinal).ToArray());
            _members.Add(member);
            RebalanceLocked();
            return member;
        }
    }

    /// <summary>Committed offset (the next offset to consume) of a partition, or null if the group never committed one.</summary>
    public long? CommittedOffset(string topic, int partition) => _offsets.Committed(Id, topic, partition);

    /// <summary>Records between the committed offset (or the log start) and the high watermark.</summary>
    public long Lag(string topic, int partition)
    {
        var info = _log.GetPartitionInfo(topic, partition);
        long from = Math.Max(CommittedOffset(topic, partition) ?? info.LogStartOffset, info.LogStartOffset);
        return Math.Max(0, info.HighWatermark - from);
    }

    /// <summary>Lag of every partition of every topic some member subscribes to.</summary>
    public IReadOnlyDictionary<TopicPartition, long> Lags()
    {
        var topics = Members.SelectMany(m => m.Topics).Distinct().ToList();
        var result = new Dictionary<TopicPartition, long>();
        foreach (var t in topics)
            for (int p = 0; p < _log.GetTopic(t).Partitions; p++)
                result[new TopicPartition(t, p)] = Lag(t, p);
        return result;
    }

    internal void Leave(GroupMember member)
    {
        lock (_lock)
        {
            if (!_members.Remove(member)) return;
            member.Assign(Generation, []); // a departed member owns nothing: its commits are refused
            RebalanceLocked();
        }
    }

    internal Task CommitAsync(GroupMember member, int generation, IReadOnlyList<(string Topic, int Partition, long Offset)> offsets)
    {
        lock (_lock)
        {
            foreach (var (t, p, _) in offsets)
            {
                if (!member.Owns(new TopicPartition(t, p)))
                    throw new RebalanceException($"member '{member.Id}' of group '{Id}' no longer owns {t}/{p} (generation {Generation}, member saw {generation}); re-read from the committed offset");
            }
            return _offsets.CommitAsync(Id, offsets);
        }
    }

    // Round-robin per topic over the members subscribed to it, both sorted: deterministic for a given membership.
    private void RebalanceLocked()
    {
        Generation++;
        var assignments = _members.ToDictionary(m => m, _ => new List<TopicPartition>());
        foreach (var topic in _members.SelectMany(m => m.Topics).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var subscribers = _members.Where(m => m.Topics.Contains(topic)).OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
            int partitions = _log.GetTopic(topic).Partitions;
            for (int p = 0; p < partitions; p++) assignments[subscribers[p % subscribers.Count]].Add(new TopicPartition(topic, p));
        }
        foreach (var (m, a) in assignments) m.Assign(Generation, a);
    }
}
