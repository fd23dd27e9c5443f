namespace Edge.Log;

/// <summary>
/// A record handed to <see cref="EdgeLog.AppendAsync"/>. Its memory must stay unchanged until the append's task completes.
/// </summary>
/// <param name="Key">Partitioning and compaction key; null only when an explicit partition is given.</param>
/// <param name="Value">Payload; null is a tombstone (deletes the key in a compacted topic).</param>
/// <param name="Timestamp">Event time, Unix milliseconds UTC.</param>
/// <param name="Headers">Optional metadata, stored verbatim.</param>
public readonly record struct Record(
    ReadOnlyMemory<byte>? Key,
    ReadOnlyMemory<byte>? Value,
    long Timestamp,
    IReadOnlyList<RecordHeader>? Headers = null);
