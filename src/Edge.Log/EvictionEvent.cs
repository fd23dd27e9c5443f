namespace Edge.Log;

/// <summary>
/// The disk budget deleted a sealed segment. <see cref="UnconsumedByGroup"/> counts, per consumer group with a
/// committed offset on the partition, the evicted records that group had not consumed yet.
/// </summary>
public sealed record EvictionEvent(string Topic, int Partition, long FromOffset, long ToOffset, long Bytes,
    IReadOnlyDictionary<string, long> UnconsumedByGroup);
