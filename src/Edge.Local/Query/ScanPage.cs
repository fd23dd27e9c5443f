namespace Edge.Local.Query;

/// <summary>One page of a scan: what was found and the offset to resume at (null when the partition's range is done).</summary>
public sealed record ScanPage(List<FoundReading> Readings, long? Next, long Scanned);
