using Edge.Log;

namespace Edge.Gateway.Configuration;

/// <summary>A topic as declared under "Log:Topics:&lt;name&gt;" in configuration.</summary>
public sealed class TopicSettings
{
    public int Partitions { get; set; } = 1;
    public long SegmentBytes { get; set; } = 64L << 20;
    public double? RetentionHours { get; set; } = 168;
    public long? RetentionBytes { get; set; }
    public CleanupPolicy Cleanup { get; set; } = CleanupPolicy.Delete;
    public int FlushMaxRecords { get; set; } = 1000;
    public double FlushMaxIntervalMs { get; set; } = 5;
    public bool FlushSync { get; set; } = true;
    public int FlushFillBytes { get; set; }
    public int Priority { get; set; }
    public OverflowPolicy Overflow { get; set; } = OverflowPolicy.Evict;

    public TopicConfig ToConfig(string name) => new(name)
    {
        Partitions = Partitions,
        SegmentBytes = SegmentBytes,
        RetentionTime = RetentionHours is { } h ? TimeSpan.FromHours(h) : null,
        RetentionBytes = RetentionBytes,
        Cleanup = Cleanup,
        Flush = new FlushPolicy(FlushMaxRecords, TimeSpan.FromMilliseconds(FlushMaxIntervalMs), FlushSync, FlushFillBytes),
        Priority = Priority,
        Overflow = Overflow,
    };
}
