namespace Edge.Log;

/// <summary>A record whose encoded size exceeds <see cref="LogOptions.MaxRecordBytes"/>.</summary>
public sealed class RecordTooLargeException : LogException
{
    public RecordTooLargeException(string topic, int size, int limit)
        : base($"record for topic '{topic}' is {size} bytes encoded; the limit (MaxRecordBytes) is {limit}")
    {
        Size = size;
        Limit = limit;
    }

    public int Size { get; }

    public int Limit { get; }
}
