namespace Edge.Log;

/// <summary>Where an appended record landed: its partition and offset.</summary>
public readonly record struct RecordPosition(int Partition, long Offset);
