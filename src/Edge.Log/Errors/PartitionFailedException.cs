namespace Edge.Log;

/// <summary>
/// A partition stopped accepting appends because a write, fdatasync or segment roll failed (disk full, file too large,
/// I/O error). After a failed fdatasync the file's state is unknown and Linux does not let it be retried, so only
/// reopening the log — whose recovery keeps exactly the valid prefix — brings the partition back (FORMAT.md §9).
/// </summary>
public sealed class PartitionFailedException(string topic, int partition, Exception cause)
    : LogException($"partition {topic}/{partition} stopped after a write failure ({cause.Message}); reopen the log to recover", cause)
{
    public string Topic { get; } = topic;

    public int Partition { get; } = partition;
}
