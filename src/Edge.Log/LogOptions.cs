namespace Edge.Log;

/// <summary>Settings of a whole log directory; validated by <see cref="Validate"/> when the log opens.</summary>
public sealed class LogOptions
{
    /// <summary>Root directory; created when missing.</summary>
    public string Directory { get; set; } = "";

    /// <summary>
    /// Most bytes of segments the log may keep (FORMAT.md §7.3). The budget in force is never more than the file
    /// system can hold for the log minus <see cref="DiskReserveBytes"/>, re-read at every check; 0 (the default) is
    /// "auto": the file system alone sets it.
    /// </summary>
    public long DiskBudgetBytes { get; set; }

    /// <summary>Bytes of the file system left free for the rest of the system; -1 (the default) is 5 % of it, 1 MiB to 1 GiB.</summary>
    public long DiskReserveBytes { get; set; } = -1;

    /// <summary>Largest encoded record accepted.</summary>
    public int MaxRecordBytes { get; set; } = 1 << 20;

    /// <summary>Bytes of log between two sparse index entries.</summary>
    public int IndexIntervalBytes { get; set; } = 4096;

    /// <summary>Bytes a partition may hold in memory waiting to be flushed before appends wait (back-pressure).</summary>
    public long MaxPendingBytesPerPartition { get; set; } = 8L << 20;

    /// <summary>How often retention, compaction and the disk budget are checked.</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the disk budget alone is checked between full maintenance runs (at most every MaintenanceInterval):
    /// a filling disk should not wait 30 s for eviction.
    /// </summary>
    public TimeSpan BudgetCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Offsets reserved per offset-lease renewal for page-cache topics (FORMAT.md §7.4).</summary>
    public int OffsetLeaseSize { get; set; } = 1 << 16;

    /// <summary>How long committed consumer offsets may be staged before they are written to the catalog.</summary>
    public TimeSpan OffsetCommitInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Throws <see cref="InvalidTopicConfigException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory)) throw new InvalidTopicConfigException("Log.Directory", "is required");
        if (DiskBudgetBytes < 0) throw new InvalidTopicConfigException("Log.DiskBudgetBytes", "must not be negative (0 = auto: sized from the file system)");
        if (DiskReserveBytes < -1) throw new InvalidTopicConfigException("Log.DiskReserveBytes", "must be a byte count, or -1 for auto (5 % of the file system)");
        if (MaxRecordBytes < 64 || MaxRecordBytes > Format.FormatLimits.MaxRecordBytes)
            throw new InvalidTopicConfigException("Log.MaxRecordBytes", $"{MaxRecordBytes} is outside 64..{Format.FormatLimits.MaxRecordBytes}");
        if (BudgetCheckInterval <= TimeSpan.Zero) throw new InvalidTopicConfigException("Log.BudgetCheckInterval", "must be positive");
        if (IndexIntervalBytes < 64) throw new InvalidTopicConfigException("Log.IndexIntervalBytes", "must be at least 64");
        if (MaxPendingBytesPerPartition < 2L * MaxRecordBytes)
            throw new InvalidTopicConfigException("Log.MaxPendingBytesPerPartition", "must be at least twice MaxRecordBytes");
        if (MaintenanceInterval <= TimeSpan.Zero) throw new InvalidTopicConfigException("Log.MaintenanceInterval", "must be positive");
        if (OffsetLeaseSize < 1) throw new InvalidTopicConfigException("Log.OffsetLeaseSize", "must be positive");
        if (OffsetCommitInterval < TimeSpan.Zero) throw new InvalidTopicConfigException("Log.OffsetCommitInterval", "must not be negative");
    }
}
