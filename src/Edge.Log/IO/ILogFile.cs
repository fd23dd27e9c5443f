namespace Edge.Log.IO;

/// <summary>
/// A random-access file as the log sees it: positional reads and writes plus a data sync.
/// Reads and writes at distinct positions are safe from many threads (pread/pwrite semantics).
/// </summary>
public interface ILogFile : IDisposable
{
    /// <summary>Full path, used in error messages.</summary>
    string Path { get; }

    /// <summary>Current length in bytes.</summary>
    long Length { get; }

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="position"/>; not durable until <see cref="Sync"/>.</summary>
    void Write(ReadOnlySpan<byte> data, long position);

    /// <summary>Reads up to <paramref name="buffer"/>.Length bytes at <paramref name="position"/>; returns the count (0 at end of file).</summary>
    int Read(Span<byte> buffer, long position);

    /// <summary>Makes every completed write durable (fdatasync(2)).</summary>
    void Sync();

    /// <summary>Truncates or extends the file.</summary>
    void SetLength(long length);
}
