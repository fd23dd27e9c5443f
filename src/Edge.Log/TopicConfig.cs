using System.Text.RegularExpressions;

namespace Edge.Log;

/// <summary>A topic's settings (persisted in the catalog; FORMAT.md §8).</summary>
public sealed partial record TopicConfig
{
    public TopicConfig(string name) => Name = name;

    /// <summary>
    /// True for a topic whose name starts with '_': the gateway's own state (<c>_sensors</c>, offsets), never readings.
    /// Status, queries, ingest and the uplink leave such topics out; this is the one place that says so.
    /// </summary>
    public static bool IsInternal(string name) => name.StartsWith('_');

    /// <summary>Most partitions a topic may have.</summary>
    public const int MaxPartitions = 1024;

    /// <summary>Smallest <see cref="SegmentBytes"/>.</summary>
    public const long MinSegmentBytes = 4096;

    /// <summary>True for 1–200 characters of [A-Za-z0-9._-], not "." or "..": the name is also a directory name.</summary>
    public static bool IsValidName(string? name) => !string.IsNullOrEmpty(name) && name.Length <= 200 && NamePattern().IsMatch(name) && name is not ("." or "..");

    /// <summary>See <see cref="IsInternal(string)"/>.</summary>
    public bool Internal => IsInternal(Name);

    /// <summary>1–200 characters of [A-Za-z0-9._-]; also the directory name.</summary>
    public string Name { get; init; }

    /// <summary>Number of partitions; fixed once created.</summary>
    public int Partitions { get; init; } = 1;

    /// <summary>A segment is sealed and a new one started when the next group would take it past this size.</summary>
    public long SegmentBytes { get; init; } = 64L << 20;

    /// <summary>A non-empty active segment older than this is sealed so time retention can reach it.</summary>
    public TimeSpan SegmentMaxAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Sealed segments whose newest record is older than this are deleted; null keeps forever.</summary>
    public TimeSpan? RetentionTime { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Per partition: oldest sealed segments are deleted while the partition is larger; null is unlimited.</summary>
    public long? RetentionBytes { get; init; }

    public CleanupPolicy Cleanup { get; init; } = CleanupPolicy.Delete;

    public FlushPolicy Flush { get; init; } = FlushPolicy.GroupCommit;

    /// <summary>Higher is more important: under the disk budget, lower priorities are evicted first.</summary>
    public int Priority { get; init; }

    public OverflowPolicy Overflow { get; init; } = OverflowPolicy.Evict;

    /// <summary>Compacted topics: how long a tombstone survives compaction so consumers can see the deletion.</summary>
    public TimeSpan TombstoneRetention { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Throws <see cref="InvalidTopicConfigException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (!IsValidName(Name))
            throw new InvalidTopicConfigException($"topic '{Name}'.Name", "must be 1-200 characters of A-Z a-z 0-9 . _ - (not '.' or '..')");
        string p = $"topic '{Name}'";
        if (Partitions is < 1 or > MaxPartitions) throw new InvalidTopicConfigException($"{p}.Partitions", $"{Partitions} is outside 1..{MaxPartitions}");
        if (SegmentBytes < MinSegmentBytes || SegmentBytes > Format.FormatLimits.MaxSegmentBytes)
            throw new InvalidTopicConfigException($"{p}.SegmentBytes", $"{SegmentBytes} is outside {MinSegmentBytes}..{Format.FormatLimits.MaxSegmentBytes}");
        if (SegmentMaxAge <= TimeSpan.Zero) throw new InvalidTopicConfigException($"{p}.SegmentMaxAge", "must be positive");
        if (RetentionTime is { } rt && rt <= TimeSpan.Zero) throw new InvalidTopicConfigException($"{p}.RetentionTime", "must be positive or null (keep forever)");
        if (RetentionBytes is { } rb && rb < SegmentBytes) throw new InvalidTopicConfigException($"{p}.RetentionBytes", $"{rb} is smaller than SegmentBytes {SegmentBytes}");
        if (Flush is null) throw new InvalidTopicConfigException($"{p}.Flush", "is required");
        if (Flush.MaxUnflushedRecords is < 1 or > FlushPolicy.GroupCommitLimit)
            throw new InvalidTopicConfigException($"{p}.Flush.MaxUnflushedRecords", $"{Flush.MaxUnflushedRecords} is outside 1..{FlushPolicy.GroupCommitLimit}");
        if (Flush.MaxInterval < TimeSpan.Zero || Flush.MaxInterval > FlushPolicy.LongestInterval)
            throw new InvalidTopicConfigException($"{p}.Flush.MaxInterval", "must be between 0 and 10 minutes");
        if (Flush.FillBytes is < 0 or > FlushPolicy.MaxFillBytes)
            throw new InvalidTopicConfigException($"{p}.Flush.FillBytes", $"{Flush.FillBytes} is outside 0..{FlushPolicy.MaxFillBytes}");
        if (TombstoneRetention < TimeSpan.Zero) throw new InvalidTopicConfigException($"{p}.TombstoneRetention", "must not be negative");
        if (!Enum.IsDefined(Cleanup)) throw new InvalidTopicConfigException($"{p}.Cleanup", $"unknown policy {Cleanup}");
        if (!Enum.IsDefined(Overflow)) throw new InvalidTopicConfigException($"{p}.Overflow", $"unknown policy {Overflow}");
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex NamePattern();
}
