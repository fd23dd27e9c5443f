using Edge.Log.IO;

namespace Edge.Local.Tests.TestKit;

/// <summary>
/// The real file system, except that fdatasync of files whose path contains <see cref="HeldPathPart"/> waits while
/// <see cref="Gate"/> is reset: a disk that has stopped acknowledging, for one topic, so a test can see what the
/// broker does while readings are written but not yet durable.
/// </summary>
public sealed class HeldSyncFileSystem(string heldPathPart) : IFileSystem
{
    private readonly IFileSystem _inner = PhysicalFileSystem.Instance;
    private int _waiting;

    public string HeldPathPart => heldPathPart;

    /// <summary>While reset, every Sync of a held file blocks.</summary>
    public ManualResetEventSlim Gate { get; } = new(initialState: true);

    /// <summary>Completes when a Sync of a held file is blocked by the gate.</summary>
    public TaskCompletionSource SyncHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ILogFile Open(string path, bool create)
    {
        var file = _inner.Open(path, create);
        return path.Contains(heldPathPart, StringComparison.Ordinal) ? new HeldFile(this, file) : file;
    }

    public bool FileExists(string path) => _inner.FileExists(path);

    public bool DirectoryExists(string path) => _inner.DirectoryExists(path);

    public void CreateDirectory(string path) => _inner.CreateDirectory(path);

    public void DeleteFile(string path) => _inner.DeleteFile(path);

    public void DeleteDirectory(string path) => _inner.DeleteDirectory(path);

    public void Move(string from, string to) => _inner.Move(from, to);

    public IEnumerable<string> EnumerateFiles(string directory) => _inner.EnumerateFiles(directory);

    public IEnumerable<string> EnumerateDirectories(string directory) => _inner.EnumerateDirectories(directory);

    public void SyncDirectory(string path) => _inner.SyncDirectory(path);

    public DiskSpace GetSpace(string directory) => _inner.GetSpace(directory);

    public IDisposable Lock(string path) => _inner.Lock(path);

    private sealed class HeldFile(HeldSyncFileSystem fs, ILogFile inner) : ILogFile
    {
        public string Path => inner.Path;

        public long Length => inner.Length;

        public void Write(ReadOnlySpan<byte> data, long position) => inner.Write(data, position);

        public int Read(Span<byte> buffer, long position) => inner.Read(buffer, position);

        public void Sync()
        {
            if (!fs.Gate.IsSet)
            {
                Interlocked.Increment(ref fs._waiting);
                fs.SyncHeld.TrySetResult();
                fs.Gate.Wait();
            }
            inner.Sync();
        }

        public void SetLength(long length) => inner.SetLength(length);

        public void Dispose() => inner.Dispose();
    }
}
