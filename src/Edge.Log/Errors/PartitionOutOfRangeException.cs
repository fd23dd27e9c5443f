namespace Edge.Log;

/// <summary>A partition number outside [0, partition count).</summary>
public sealed class PartitionOutOfRangeException : LogException
{
    public PartitionOutOfRangeException(string topic, int partition, int count)
        : base($"partition {partition} is out of range for topic '{topic}', which has partitions 0..{count - 1}")
    {
        Topic = topic;
        Partition = partition;
    }

    public string Topic { get; }

    public int Partition { get; }
}
