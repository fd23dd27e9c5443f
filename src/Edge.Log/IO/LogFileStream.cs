namespace Edge.Log.IO;

/// <summary>
/// An <see cref="ILogFile"/> as a seekable <see cref="Stream"/>, so a library that takes streams (LiteDB, for the
/// catalog) does its I/O through the <see cref="IFileSystem"/> seam. <see cref="Flush"/> is fdatasync(2): LiteDB
/// calls it where it would call <c>FileStream.Flush(true)</c> on a file of its own. Not thread-safe (one position);
/// LiteDB serialises access to a stream it was given.
/// </summary>
internal sealed class LogFileStream(ILogFile file) : Stream
{
    private long _position;
    private volatile bool _unsynced;

    /// <summary>Runs before every write and length change: a write barrier another file's durability needs.</summary>
    public Action? BeforeWrite { get; init; }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => file.Length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a position is never negative");
    }

    public override void Flush()
    {
        _unsynced = false; // cleared first: a write racing the sync sets it again
        file.Sync();
    }

    /// <summary>Syncs when something was written or truncated since the last sync.</summary>
    public void FlushIfWritten()
    {
        if (_unsynced) Flush();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = file.Read(buffer, _position);
        _position += n;
        return n;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        BeforeWrite?.Invoke();
        _unsynced = true;
        file.Write(buffer, _position);
        _position += buffer.Length;
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => file.Length + offset,
    };

    public override void SetLength(long value)
    {
        BeforeWrite?.Invoke();
        _unsynced = true;
        file.SetLength(value);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) file.Dispose();
        base.Dispose(disposing);
    }
}
