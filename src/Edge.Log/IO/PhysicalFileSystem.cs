namespace Edge.Log.IO;

/// <summary>The real file system.</summary>
public sealed class PhysicalFileSystem : IFileSystem
{
    public static PhysicalFileSystem Instance { get; } = new();

    public ILogFile Open(string path, bool create) => new PhysicalLogFile(path, create);

    public bool FileExists(string path) => File.Exists(path);

    public bool DirectoryExists(string path) => Directory.Exists(path);

    public void CreateDirectory(string path) => Directory.CreateDirectory(path);

    public void DeleteFile(string path) => File.Delete(path);

    public void DeleteDirectory(string path) => Directory.Delete(path, recursive: true);

    public void Move(string from, string to) => File.Move(from, to, overwrite: true);

    public IEnumerable<string> EnumerateFiles(string directory) => Directory.EnumerateFiles(directory);

    public IEnumerable<string> EnumerateDirectories(string directory) => Directory.EnumerateDirectories(directory);

    public void SyncDirectory(string path) => Native.SyncDirectory(path);

    public DiskSpace GetSpace(string directory)
    {
        // DriveInfo on Unix is statvfs(3) of the path, whichever mount it is on (no per-architecture struct layout here).
        var drive = new DriveInfo(directory);
        return new DiskSpace(drive.TotalSize, drive.AvailableFreeSpace);
    }

    public IDisposable Lock(string path)
    {
        // On Unix, FileShare.None makes .NET take flock(LOCK_EX|LOCK_NB): a second process (or a second open in
        // this one) fails with IOException while the first holds it, and the kernel drops it when the process dies.
        // Readers of a flock'ed file would need the lock themselves, so the holder's pid goes to a sibling file.
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        File.WriteAllText(path + ".owner", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
        return stream;
    }
}
