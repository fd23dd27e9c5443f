namespace Edge.Log;

/// <summary>A partition of a topic.</summary>
public readonly record struct TopicPartition(string Topic, int Partition)
{
    public override string ToString() => $"{Topic}/{Partition}";
}
