using Edge.Log.IO;

namespace Edge.Log.Tests.TestKit;

/// <summary>What survives a simulated crash.</summary>
public enum CrashMode
{
    /// <summary>A process crash: everything written reached the page cache and survives.</summary>
    KeepWritten,

    /// <summary>Power loss: every byte written since each file's last sync is gone.</summary>
    LoseUnsynced,

    /// <summary>Power loss mid-writeback: a random prefix of the unsynced writes survives, the last one possibly torn.</summary>
    Torn,
}

/// <summary>Thrown by every file operation from the armed boundary on, as an I/O error would be.</summary>
public sealed class SimulatedCrashException() : IOException("simulated crash");

/// <summary>A write past <see cref="FaultInjectingFileSystem.CapacityBytes"/>: ENOSPC, with errno 28 as HResult as .NET reports it on Linux.</summary>
public sealed class SimulatedDiskFullException(string path) : IOException($"No space left on device : '{path}'", 28);

/// <summary>
/// An in-memory file system that models durability per file: the bytes as of the last Sync, and the writes since.
/// Every Write, Sync, SetLength and directory change is a numbered boundary; arming <see cref="CrashAt"/> makes that
/// boundary and everything after it fail. <see cref="AfterCrash"/> then yields what a disk would hold.
/// Simplification: directory changes (create, rename, delete) are durable at once, as on a journalled file system
/// after the directory fsync the log issues next to each of them. <see cref="CapacityBytes"/> makes it a small disk
/// (writes past it fail with ENOSPC); <see cref="Inject"/> throws any exception from any operation on any file.
/// </summary>
public sealed class FaultInjectingFileSystem : IFileSystem
{
    private readonly object _lock = new();
    private readonly Dictionary<string, FileState> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirs = new(StringComparer.Ordinal);

    public int Boundaries { get; private set; }

    public int CrashAt { get; set; } = int.MaxValue;

    public bool Crashed { get; private set; }

    /// <summary>While reset, every Sync blocks: a disk that has stopped acknowledging writes.</summary>
    public ManualResetEventSlim SyncGate { get; } = new(initialState: true);

    /// <summary>Total bytes all files may hold; a write or extension past it throws <see cref="SimulatedDiskFullException"/>.</summary>
    public long CapacityBytes { get; set; } = long.MaxValue / 4;

    /// <summary>Called with the operation ("open", "write", "sync", "setlength", "delete", "move") and path; a returned exception is thrown.</summary>
    public Func<string, string, Exception?>? Inject { get; set; }

    /// <summary>Bytes held by all files.</summary>
    public long UsedBytes
    {
        get { lock (_lock) return _files.Values.Sum(f => (long)f.Current.Count); }
    }

    private void Check(string operation, string path)
    {
        if (Inject?.Invoke(operation, path) is { } e) throw e;
    }

    // Under _lock: refuses growth past the capacity, as a full file system does (write(2): ENOSPC).
    private void Reserve(string path, long growth)
    {
        if (growth > 0 && _files.Values.Sum(f => (long)f.Current.Count) + growth > CapacityBytes) throw new SimulatedDiskFullException(path);
    }

    public FaultInjectingFileSystem AfterCrash(CrashMode mode, Random random)
    {
        lock (_lock)
        {
            var fs = new FaultInjectingFileSystem();
            foreach (var d in _dirs) fs._dirs.Add(d);
            foreach (var (path, f) in _files)
            {
                byte[] bytes = mode switch
                {
                    CrashMode.KeepWritten => f.Current.ToArray(),
                    CrashMode.LoseUnsynced => f.Durable.ToArray(),
                    _ => f.TornImage(random),
                };
                fs._files[path] = new FileState(bytes);
            }
            return fs;
        }
    }

    private void Step()
    {
        lock (_lock)
        {
            if (Crashed) throw new SimulatedCrashException();
            if (++Boundaries >= CrashAt)
            {
                Crashed = true;
                throw new SimulatedCrashException();
            }
        }
    }

    public ILogFile Open(string path, bool create)
    {
        Check("open", path);
        lock (_lock)
        {
            if (Crashed) throw new SimulatedCrashException();
            if (!_files.TryGetValue(path, out var f))
            {
                if (!create) throw new FileNotFoundException($"no file {path}", path);
                f = _files[path] = new FileState([]);
            }
            return new File(this, path);
        }
    }

    public bool FileExists(string path)
    {
        lock (_lock) return _files.ContainsKey(path);
    }

    public bool DirectoryExists(string path)
    {
        lock (_lock) return _dirs.Contains(path);
    }

    public void CreateDirectory(string path)
    {
        lock (_lock)
        {
            for (string? d = path; !string.IsNullOrEmpty(d); d = Path.GetDirectoryName(d)) _dirs.Add(d);
        }
    }

    public void DeleteFile(string path)
    {
        Check("delete", path);
        Step();
        lock (_lock) _files.Remove(path);
    }

    public void DeleteDirectory(string path)
    {
        Step();
        lock (_lock)
        {
            foreach (var f in _files.Keys.Where(k => k.StartsWith(path + "/", StringComparison.Ordinal)).ToList()) _files.Remove(f);
            _dirs.RemoveWhere(d => d == path || d.StartsWith(path + "/", StringComparison.Ordinal));
        }
    }

    public void Move(string from, string to)
    {
        Check("move", from);
        Step();
        lock (_lock)
        {
            var f = _files[from];
            _files.Remove(from);
            _files[to] = f;
        }
    }

    public IEnumerable<string> EnumerateFiles(string directory)
    {
        lock (_lock) return _files.Keys.Where(k => Path.GetDirectoryName(k) == directory).ToList();
    }

    public IEnumerable<string> EnumerateDirectories(string directory)
    {
        lock (_lock) return _dirs.Where(d => Path.GetDirectoryName(d) == directory).ToList();
    }

    public void SyncDirectory(string path) => Step();

    public DiskSpace GetSpace(string directory)
    {
        lock (_lock) return new DiskSpace(CapacityBytes, Math.Max(0, CapacityBytes - _files.Values.Sum(f => (long)f.Current.Count)));
    }

    public IDisposable Lock(string path) => new MemoryStream();

    private sealed class FileState(byte[] initial)
    {
        public List<byte> Current { get; } = [.. initial];

        public List<byte> Durable { get; private set; } = [.. initial];

        // Unsynced changes in order: a write (position, bytes) or a length change (position = new length, bytes = null).
        public List<(long Position, byte[]? Bytes)> Pending { get; } = [];

        public void Sync()
        {
            Durable = [.. Current];
            Pending.Clear();
        }

        public byte[] TornImage(Random random)
        {
            var image = Durable.ToList();
            int keep = random.Next(Pending.Count + 1);
            for (int i = 0; i < keep; i++)
            {
                var (pos, bytes) = Pending[i];
                if (bytes is null) { Resize(image, pos); continue; }
                int n = i == keep - 1 ? random.Next(bytes.Length + 1) : bytes.Length; // the last write may be torn
                Apply(image, pos, bytes.AsSpan(0, n));
            }
            return image.ToArray();
        }

        public static void Apply(List<byte> target, long position, ReadOnlySpan<byte> data)
        {
            if (target.Count < position + data.Length) Resize(target, position + data.Length);
            for (int i = 0; i < data.Length; i++) target[(int)position + i] = data[i];
        }

        public static void Resize(List<byte> target, long length)
        {
            if (target.Count > length) target.RemoveRange((int)length, target.Count - (int)length);
            while (target.Count < length) target.Add(0);
        }
    }

    private sealed class File(FaultInjectingFileSystem fs, string path) : ILogFile
    {
        public string Path { get; } = path;

        public long Length
        {
            get { lock (fs._lock) return State.Current.Count; }
        }

        private FileState State => fs._files.TryGetValue(Path, out var f) ? f : throw new FileNotFoundException(Path);

        public void Write(ReadOnlySpan<byte> data, long position)
        {
            fs.Check("write", Path);
            fs.Step();
            lock (fs._lock)
            {
                var s = State;
                fs.Reserve(Path, position + data.Length - s.Current.Count);
                FileState.Apply(s.Current, position, data);
                s.Pending.Add((position, data.ToArray()));
            }
        }

        public int Read(Span<byte> buffer, long position)
        {
            lock (fs._lock)
            {
                var cur = State.Current;
                int n = (int)Math.Max(0, Math.Min(buffer.Length, cur.Count - position));
                for (int i = 0; i < n; i++) buffer[i] = cur[(int)position + i];
                return n;
            }
        }

        public void Sync()
        {
            fs.SyncGate.Wait();
            fs.Check("sync", Path);
            fs.Step();
            lock (fs._lock) State.Sync();
        }

        public void SetLength(long length)
        {
            fs.Check("setlength", Path);
            fs.Step();
            lock (fs._lock)
            {
                var s = State;
                fs.Reserve(Path, length - s.Current.Count);
                FileState.Resize(s.Current, length);
                s.Pending.Add((length, null));
            }
        }

        public void Dispose() { }
    }
}
