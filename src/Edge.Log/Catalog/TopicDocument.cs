namespace Edge.Log.Catalog;

/// <summary>A topic definition as stored in the LiteDB catalog (collection "topics", _id = name).</summary>
internal sealed class TopicDocument
{
    public string Id { get; set; } = "";
    public int FormatVersion { get; set; } = 1;
    public int Partitions { get; set; }
    public long SegmentBytes { get; set; }
    public long SegmentMaxAgeMs { get; set; }
    public long? RetentionMs { get; set; }
    public long? RetentionBytes { get; set; }
    public string Cleanup { get; set; } = "";
    public int FlushMaxRecords { get; set; }
    public long FlushMaxIntervalMicros { get; set; }
    public bool FlushSync { get; set; }
    public int FlushFillBytes { get; set; } // absent in catalogs written before it existed: 0, the behaviour they had
    public int Priority { get; set; }
    public string Overflow { get; set; } = "";
    public long TombstoneRetentionMs { get; set; }

    public static TopicDocument From(TopicConfig c) => new()
    {
        Id = c.Name,
        Partitions = c.Partitions,
        SegmentBytes = c.SegmentBytes,
        SegmentMaxAgeMs = (long)c.SegmentMaxAge.TotalMilliseconds,
        RetentionMs = c.RetentionTime is { } rt ? (long)rt.TotalMilliseconds : null,
        RetentionBytes = c.RetentionBytes,
        Cleanup = c.Cleanup.ToString(),
        FlushMaxRecords = c.Flush.MaxUnflushedRecords,
        FlushMaxIntervalMicros = (long)(c.Flush.MaxInterval.Ticks / 10),
        FlushSync = c.Flush.Sync,
        FlushFillBytes = c.Flush.FillBytes,
        Priority = c.Priority,
        Overflow = c.Overflow.ToString(),
        TombstoneRetentionMs = (long)c.TombstoneRetention.TotalMilliseconds,
    };

    public TopicConfig ToConfig()
    {
        if (FormatVersion != 1) throw new LogException($"catalog topic '{Id}' has format version {FormatVersion}; this build reads version 1");
        if (!Enum.TryParse<CleanupPolicy>(Cleanup, out var cleanup) || !Enum.TryParse<OverflowPolicy>(Overflow, out var overflow))
            throw new LogException($"catalog topic '{Id}' has an unknown cleanup '{Cleanup}' or overflow '{Overflow}' policy");
        return new TopicConfig(Id)
        {
            Partitions = Partitions,
            SegmentBytes = SegmentBytes,
            SegmentMaxAge = TimeSpan.FromMilliseconds(SegmentMaxAgeMs),
            RetentionTime = RetentionMs is { } r ? TimeSpan.FromMilliseconds(r) : null,
            RetentionBytes = RetentionBytes,
            Cleanup = cleanup,
            Flush = new FlushPolicy(FlushMaxRecords, TimeSpan.FromTicks(FlushMaxIntervalMicros * 10), FlushSync, FlushFillBytes),
            Priority = Priority,
            Overflow = overflow,
            TombstoneRetention = TimeSpan.FromMilliseconds(TombstoneRetentionMs),
        };
    }
}
