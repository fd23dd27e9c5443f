using Edge.Readings;

namespace Edge.Local.Query;

/// <summary>A reading found in the log, with where it is stored.</summary>
public readonly record struct FoundReading(string Topic, int Partition, long Offset, Reading Reading);
