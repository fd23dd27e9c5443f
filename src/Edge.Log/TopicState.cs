using Edge.Log.Storage;

namespace Edge.Log;

/// <summary>A topic's configuration and open partitions.</summary>
internal sealed class TopicState(TopicConfig config, Partition[] partitions)
{
    private int _roundRobin = -1;

    public TopicConfig Config { get; } = config;

    public Partition[] Partitions { get; } = partitions;

    public int NextRoundRobin() => (int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)Partitions.Length);
}
