using Edge.Log.IO;

namespace Edge.Log.Tests.TestKit;

/// <summary>
/// <see cref="FaultInjectingFileSystem"/> with directory entries that are not durable until their directory is synced,
/// as POSIX specifies (fsync(2): "does not necessarily ensure that the entry in the directory containing the file has
/// also reached disk. For that an explicit fsync() on a file descriptor for the directory is also needed"). A file
/// created, renamed or deleted since its directory's last <see cref="SyncDirectory"/> is, after a power-loss crash,
/// back as it was: a new file is gone (with everything synced into it), a renamed one has its old name again (and a
/// file it replaced is back), a deleted one is back. A process crash (<see cref="CrashMode.KeepWritten"/>) keeps them
/// all; <see cref="CrashMode.Torn"/> keeps a random prefix of them, in order.
/// Not modelled: directory creation and deletion (the log syncs parents after both; FORMAT.md §6).
/// </summary>
public sealed class DirectoryEntriesFileSystem(FaultInjectingFileSystem inner) : IFileSystem
{
    private abstract record Change(string Directory);

    private sealed record Created(string Path) : Change(System.IO.Path.GetDirectoryName(Path)!);

    private sealed record Deleted(string Path, byte[] Bytes) : Change(System.IO.Path.GetDirectoryName(Path)!);

    private sealed record Moved(string From, string To, byte[]? Replaced) : Change(System.IO.Path.GetDirectoryName(To)!);

    private readonly object _lock = new();
    private readonly List<Change> _unsynced = [];

    public DirectoryEntriesFileSystem() : this(new FaultInjectingFileSystem())
    {
    }

    public FaultInjectingFileSystem Inner => inner;

    public int Boundaries => inner.Boundaries;

    public int CrashAt
    {
        get => inner.CrashAt;
        set => inner.CrashAt = value;
    }

    /// <summary>What a disk would hold after a crash now: <see cref="FaultInjectingFileSystem.AfterCrash"/>, then the unsynced entries undone.</summary>
    public DirectoryEntriesFileSystem AfterCrash(CrashMode mode, Random random)
    {
        var image = inner.AfterCrash(mode, random);
        List<Change> lost;
        lock (_lock)
            lost = mode switch
            {
                CrashMode.KeepWritten => [],
                CrashMode.LoseUnsynced => [.. _unsynced],
                _ => [.. _unsynced.Skip(random.Next(_unsynced.Count + 1))],
            };
        for (int i = lost.Count - 1; i >= 0; i--)
        {
            switch (lost[i])
            {
                case Created c:
                    if (image.FileExists(c.Path)) image.DeleteFile(c.Path);
                    break;
                case Deleted d:
                    Restore(image, d.Path, d.Bytes);
                    break;
                case Moved m:
                    if (image.FileExists(m.To)) image.Move(m.To, m.From);
                    if (m.Replaced is not null) Restore(image, m.To, m.Replaced);
                    break;
            }
        }
        return new DirectoryEntriesFileSystem(image);
    }

    public ILogFile Open(string path, bool create)
    {
        bool existed = inner.FileExists(path);
        var file = inner.Open(path, create);
        if (!existed) Record(new Created(path));
        return file;
    }

    public bool FileExists(string path) => inner.FileExists(path);

    public bool DirectoryExists(string path) => inner.DirectoryExists(path);

    public DiskSpace GetSpace(string directory) => inner.GetSpace(directory);

    public void CreateDirectory(string path) => inner.CreateDirectory(path);

    public void DeleteFile(string path)
    {
        byte[] bytes = inner.FileExists(path) ? ReadAll(path) : [];
        inner.DeleteFile(path);
        Record(new Deleted(path, bytes));
    }

    public void DeleteDirectory(string path) => inner.DeleteDirectory(path);

    public void Move(string from, string to)
    {
        byte[]? replaced = inner.FileExists(to) ? ReadAll(to) : null;
        inner.Move(from, to);
        Record(new Moved(from, to, replaced));
    }

    public IEnumerable<string> EnumerateFiles(string directory) => inner.EnumerateFiles(directory);

    public IEnumerable<string> EnumerateDirectories(string directory) => inner.EnumerateDirectories(directory);

    public void SyncDirectory(string path)
    {
        inner.SyncDirectory(path); // a crash boundary: when it throws, nothing became durable
        lock (_lock) _unsynced.RemoveAll(c => c.Directory == path || (c is Moved m && Path.GetDirectoryName(m.From) == path && m.Directory == path));
    }

    public IDisposable Lock(string path) => inner.Lock(path);

    private void Record(Change change)
    {
        lock (_lock) _unsynced.Add(change);
    }

    private byte[] ReadAll(string path)
    {
        using var f = inner.Open(path, create: false);
        var bytes = new byte[f.Length];
        f.Read(bytes, 0);
        return bytes;
    }

    private static void Restore(FaultInjectingFileSystem image, string path, byte[] bytes)
    {
        using var f = image.Open(path, create: true);
        f.SetLength(0);
        f.Write(bytes, 0);
        f.Sync();
    }
}
