namespace Edge.Log.IO;

/// <summary>
/// The file-system operations the log uses. One real implementation (<see cref="PhysicalFileSystem"/>);
/// tests substitute a fault-injecting one to simulate crashes at every write and sync boundary.
/// </summary>
public interface IFileSystem
{
    /// <summary>Opens a file for reading and writing, creating it when missing.</summary>
    ILogFile Open(string path, bool create);

    bool FileExists(string path);

    bool DirectoryExists(string path);

    void CreateDirectory(string path);

    void DeleteFile(string path);

    void DeleteDirectory(string path);

    /// <summary>Atomically renames <paramref name="from"/> to <paramref name="to"/>, replacing it (rename(2)).</summary>
    void Move(string from, string to);

    IEnumerable<string> EnumerateFiles(string directory);

    IEnumerable<string> EnumerateDirectories(string directory);

    /// <summary>Makes directory entries (creates, renames, deletes) durable: fsync(2) on the directory.</summary>
    void SyncDirectory(string path);

    /// <summary>Size and free space of the file system holding <paramref name="directory"/> (statvfs(3)).</summary>
    DiskSpace GetSpace(string directory);

    /// <summary>Takes an exclusive, process-wide lock on <paramref name="path"/>; throws <see cref="IOException"/> when another holder has it.</summary>
    IDisposable Lock(string path);
}
