namespace Edge.Log;

/// <summary>
/// When appended records are written and made durable (Kafka's flush.messages / flush.ms, FORMAT.md §6).
/// A group of at most <see cref="MaxUnflushedRecords"/> records is written and synced with one fdatasync as soon as it
/// is full, holds <see cref="FillBytes"/> bytes, or its first record has waited <see cref="MaxInterval"/>; appends
/// complete when their group is durable. A longer MaxInterval costs latency, never durability: it is how long an
/// acknowledgement may wait for company, and every sync rewrites the partly filled last page of the file, so on flash
/// fewer, fuller syncs mean less wear (FORMAT.md §6.2).
/// </summary>
/// <param name="MaxUnflushedRecords">Records per group commit (1..32767).</param>
/// <param name="MaxInterval">Longest a record waits before its group is flushed; zero flushes as soon as the flusher is free.</param>
/// <param name="Sync">
/// False is the page-cache mode: groups are written but never fsynced except when a segment is sealed; an append
/// completes after the write. It survives a process crash but not power loss or a kernel crash (up to the whole
/// active segment since its last seal can go), and offsets stay unique across such a loss through the offset lease.
/// </param>
/// <param name="FillBytes">
/// A group holding at least this many bytes is flushed at once instead of waiting out MaxInterval: it already fills
/// most of the page its sync rewrites, and waiting longer would only slow a busy producer (0..1 MiB; 0 = only
/// MaxUnflushedRecords, MaxInterval and the 1 MiB group limit close a group). A producer that keeps less than this in
/// flight on one partition and waits for each acknowledgement gets one group per MaxInterval.
/// </param>
public sealed record FlushPolicy(int MaxUnflushedRecords, TimeSpan MaxInterval, bool Sync = true, int FillBytes = 0)
{
    /// <summary>Every record is synced before its append completes; concurrent appends still share an fdatasync.</summary>
    public static FlushPolicy Immediate { get; } = new(GroupCommitLimit, TimeSpan.Zero);

    /// <summary>Group commit of up to 1,000 records or 5 ms, the gateway's default for bulk telemetry.</summary>
    public static FlushPolicy GroupCommit { get; } = new(1000, TimeSpan.FromMilliseconds(5));

    /// <summary>Page cache only: fastest, loses recent data on power loss.</summary>
    public static FlushPolicy None { get; } = new(GroupCommitLimit, TimeSpan.FromMilliseconds(5), Sync: false);

    internal const int GroupCommitLimit = Storage.GroupCommit.MaxRecords;

    /// <summary>Longest <see cref="MaxInterval"/> a topic may configure (10 minutes).</summary>
    public static readonly TimeSpan LongestInterval = TimeSpan.FromMinutes(10);

    /// <summary>Largest <see cref="FillBytes"/>: groups close at about 1 MiB anyway.</summary>
    public const int MaxFillBytes = 1 << 20;
}
