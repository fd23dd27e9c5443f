namespace Edge.Log;

/// <summary>
/// A durable record seen by an <see cref="IRecordVisitor"/> during <see cref="EdgeLog.Scan"/>: key and value are
/// spans over the scan's reused read buffer, valid only during the visit (copy what must outlive it). Headers are
/// not exposed; <see cref="EdgeLog.Read"/> returns them.
/// </summary>
public readonly ref struct RecordView(long offset, long timestamp, bool hasKey, ReadOnlySpan<byte> key, bool hasValue, ReadOnlySpan<byte> value)
{
    public long Offset { get; } = offset;

    public long Timestamp { get; } = timestamp;

    /// <summary>False when the key is null (an empty key is not null).</summary>
    public bool HasKey { get; } = hasKey;

    public ReadOnlySpan<byte> Key { get; } = key;

    /// <summary>False for a tombstone (null value).</summary>
    public bool HasValue { get; } = hasValue;

    public ReadOnlySpan<byte> Value { get; } = value;
}
