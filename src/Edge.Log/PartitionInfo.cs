namespace Edge.Log;

/// <summary>A snapshot of one partition's extent.</summary>
public sealed record PartitionInfo(string Topic, int Partition, long LogStartOffset, long HighWatermark, long SizeInBytes, int Segments);
