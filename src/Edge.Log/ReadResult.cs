namespace Edge.Log;

/// <summary>Records read from one partition, all below its high watermark.</summary>
/// <param name="Records">In offset order; may be empty.</param>
/// <param name="NextOffset">Where the next read should start: past gaps left by compaction, eviction or the page-cache offset lease (FORMAT.md §7.4); the high watermark when no record is left below it.</param>
/// <param name="HighWatermark">The partition's durable end when the read began.</param>
/// <param name="LogStartOffset">The oldest offset still stored; a read below it starts there instead.</param>
public sealed record ReadResult(IReadOnlyList<LogRecord> Records, long NextOffset, long HighWatermark, long LogStartOffset);
