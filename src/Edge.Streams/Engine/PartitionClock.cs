namespace Edge.Streams.Engine;

/// <summary>One input partition's event-time progress: the newest event time seen, and when (processing time) it last had a record.</summary>
internal sealed class PartitionClock
{
    public long MaxEventTime { get; set; } = long.MinValue;

    public long LastSeenAt { get; set; }

    public long NextOffset { get; set; }

    public long Late { get; set; }

    public long Future { get; set; }
}
