namespace Edge.Log.Configuration;

/// <summary>
/// A topic as declared under "Log:Topics:&lt;name&gt;": the configuration keys of a <see cref="TopicConfig"/> (hours and
/// milliseconds where operators think in them, the flush policy flattened). <see cref="Validate"/> checks each key
/// against the same limits <see cref="TopicConfig.Validate"/> enforces, and names the key.
/// </summary>
public sealed class TopicSectionOptions
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

    /// <summary>Every problem of topic <paramref name="name"/>, each naming its key (<c>Log:Topics:&lt;name&gt;:&lt;key&gt;</c>).</summary>
    public IEnumerable<string> Validate(string name)
    {
        string k = $"{LogSectionOptions.Section}:Topics:{name}";
        if (!TopicConfig.IsValidName(name)) yield return $"{k}: '{name}' is not a topic name: 1-200 characters of A-Z a-z 0-9 . _ - (not '.' or '..')";
        if (Partitions is < 1 or > TopicConfig.MaxPartitions) yield return $"{k}:Partitions: {Partitions} is outside 1..{TopicConfig.MaxPartitions}";
        if (SegmentBytes < TopicConfig.MinSegmentBytes || SegmentBytes > Format.FormatLimits.MaxSegmentBytes)
            yield return $"{k}:SegmentBytes: {SegmentBytes} is outside {TopicConfig.MinSegmentBytes}..{Format.FormatLimits.MaxSegmentBytes}";
        if (RetentionHours is { } h && !(h > 0 && h <= TimeSpan.MaxValue.TotalHours)) yield return $"{k}:RetentionHours: {h} must be positive or null (keep forever)";
        if (RetentionBytes is { } rb && rb < SegmentBytes) yield return $"{k}:RetentionBytes: {rb} is smaller than SegmentBytes {SegmentBytes}";
        if (!Enum.IsDefined(Cleanup)) yield return $"{k}:Cleanup: unknown policy {Cleanup}";
        if (FlushMaxRecords is < 1 or > FlushPolicy.GroupCommitLimit) yield return $"{k}:FlushMaxRecords: {FlushMaxRecords} is outside 1..{FlushPolicy.GroupCommitLimit}";
        if (!(FlushMaxIntervalMs >= 0 && FlushMaxIntervalMs <= FlushPolicy.LongestInterval.TotalMilliseconds))
            yield return $"{k}:FlushMaxIntervalMs: {FlushMaxIntervalMs} must be between 0 and {FlushPolicy.LongestInterval.TotalMilliseconds} (10 minutes)";
        if (FlushFillBytes is < 0 or > FlushPolicy.MaxFillBytes) yield return $"{k}:FlushFillBytes: {FlushFillBytes} is outside 0..{FlushPolicy.MaxFillBytes}";
        if (!Enum.IsDefined(Overflow)) yield return $"{k}:Overflow: unknown policy {Overflow}";
    }
}
