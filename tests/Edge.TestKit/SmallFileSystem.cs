using System.Diagnostics;

namespace Edge.TestKit;

/// <summary>
/// A real, small file system made for one test: a tmpfs of the given size mounted on a fresh directory (mount(8),
/// tmpfs(5): "size=" bounds its data, and a write past it fails with ENOSPC like a full SD card). Needs root, as CI
/// runs; unmounted (and its directory removed) on dispose.
/// </summary>
public sealed class SmallFileSystem : IDisposable
{
    private SmallFileSystem(string path) => Path = path;

    /// <summary>The mount point.</summary>
    public string Path { get; }

    public static SmallFileSystem Tmpfs(long bytes)
    {
        if (Environment.UserName != "root")
            throw new InvalidOperationException("mounting a small tmpfs needs root (CI runs the tests as root): run the tests as root");
        string dir = Directory.CreateTempSubdirectory("edge-smallfs-").FullName;
        Run("mount", "-t", "tmpfs", "-o", $"size={bytes},mode=0755", "tmpfs", dir);
        return new SmallFileSystem(dir);
    }

    /// <summary>statvfs(3) of the mount: bytes available to the log and the file system's size.</summary>
    public (long Available, long Total) Space
    {
        get
        {
            var d = new DriveInfo(Path);
            return (d.AvailableFreeSpace, d.TotalSize);
        }
    }

    public void Dispose()
    {
        // A child process that still holds a file would make umount fail with EBUSY: detach lazily then (umount -l).
        if (!TryRun("umount", Path)) TryRun("umount", "-l", Path);
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }

    private static void Run(string file, params string[] args)
    {
        if (!TryRun(file, args)) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed");
    }

    private static bool TryRun(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) Console.Error.WriteLine($"{file} {string.Join(' ', args)}: exit {p.ExitCode}: {err}");
        return p.ExitCode == 0;
    }
}
