using Edge.Log.IO;

namespace Edge.Uplink.Tests.TestKit;

/// <summary>
/// The real file system, except that while <see cref="Failing"/> is set, reading a segment log file under
/// <see cref="Under"/> fails with an I/O error (EIO from a dying SD card): the log's own files stay real.
/// </summary>
public sealed class FailingReads : IFileSystem
{
    private readonly IFileSystem _real = PhysicalFileSystem.Instance;

    /// <summary>Directory whose segment files fail to read (a partition directory), or null for none.</summary>
    public string? Under { get; set; }

    public volatile bool Failing;

    /// <summary>Reads refused so far.</summary>
    public int Refused => Volatile.Read(ref _refused);

    private int _refused;

    public ILogFile Open(string path, bool create) => new File(this, _real.Open(path, create));

    public bool FileExists(string path) => _real.FileExists(path);

    public bool DirectoryExists(string path) => _real.DirectoryExists(path);

    public void CreateDirectory(string path) => _real.CreateDirectory(path);

    public void DeleteFile(string path) => _real.DeleteFile(path);

    public void DeleteDirectory(string path) => _real.DeleteDirectory(path);

    public void Move(string from, string to) => _real.Move(from, to);

    public IEnumerable<string> EnumerateFiles(string directory) => _real.EnumerateFiles(directory);

    public IEnumerable<string> EnumerateDirectories(string directory) => _real.EnumerateDirectories(directory);

    public void SyncDirectory(string path) => _real.SyncDirectory(path);

    public IDisposable Lock(string path) => _real.Lock(path);

    private sealed class File(FailingReads fs, ILogFile real) : ILogFile
    {
        public string Path => real.Path;

        public long Length => real.Length;

        public void Write(ReadOnlySpan<byte> data, long position) => real.Write(data, position);

        public int Read(Span<byte> buffer, long position)
        {
            if (fs.Failing && fs.Under is { } under && real.Path.StartsWith(under, StringComparison.Ordinal) && real.Path.EndsWith(".log", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref fs._refused);
                throw new IOException($"simulated EIO reading {real.Path} at byte {position}");
            }
            return real.Read(buffer, position);
        }

        public void Sync() => real.Sync();

        public void SetLength(long length) => real.SetLength(length);

        public void Dispose() => real.Dispose();
    }
}
