namespace Edge.Log;

/// <summary>
/// A durable record read back from the log. Key and value slice a buffer owned by the read result; copy them
/// if they must outlive it.
/// </summary>
public readonly record struct LogRecord(
    int Partition,
    long Offset,
    long Timestamp,
    ReadOnlyMemory<byte>? Key,
    ReadOnlyMemory<byte>? Value,
    IReadOnlyList<RecordHeader> Headers)
{
    /// <summary>True when the value is null: a deletion marker in a compacted topic.</summary>
    public bool IsTombstone => Value is null;
}
