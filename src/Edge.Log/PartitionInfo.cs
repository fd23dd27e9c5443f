namespace Edge.Log;

/// <summary>A snapshot of one partition's extent.</summary>
/// <param name="HighWatermark">End of the durable, readable records: what survives a crash.</param>
public sealed record PartitionInfo(string Topic, int Partition, long LogStartOffset, long HighWatermark, long SizeInBytes, int Segments)
{
    /// <summary>
    /// Records appended (their offsets assigned, from HighWatermark on) and buffered in memory, not yet durable: what
    /// a crash now would lose and a clean close writes first. Appends still waiting for admission are not counted.
    /// </summary>
    public long Buffered { get; init; }
}
