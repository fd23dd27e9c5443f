using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Edge.Log.IO;

/// <summary>libc calls .NET does not expose: fdatasync(2) and fsync(2) on a directory.</summary>
internal static partial class Native
{
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000; // Linux x86-64 and arm64 (asm-generic/fcntl.h)

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fdatasync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    public static void DataSync(SafeFileHandle handle, string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            RandomAccess.FlushToDisk(handle);
            return;
        }
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (fdatasync((int)handle.DangerousGetHandle()) != 0)
                throw new IOException($"fdatasync failed on {path}: errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    public static void SyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux()) return;
        int fd = open(path, ORdOnly | ODirectory);
        if (fd < 0) throw new IOException($"open({path}) for directory fsync failed: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (fsync(fd) != 0) throw new IOException($"fsync of directory {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            close(fd);
        }
    }
}
