namespace Edge.Log;

/// <summary>Stored bytes failed validation (checksum, magic, lengths). Never returned as data.</summary>
public sealed class CorruptRecordException : LogException
{
    public CorruptRecordException(string file, long position, string reason)
        : base($"corrupt batch in {file} at byte {position}: {reason}")
    {
        File = file;
        Position = position;
        Reason = reason;
    }

    public string File { get; }

    public long Position { get; }

    public string Reason { get; }
}
