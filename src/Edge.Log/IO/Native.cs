using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Edge.Log.IO;

/// <summary>
/// libc calls .NET does not expose: fdatasync(2) on a file and fsync(2) on a directory. No open(2) flag values are
/// kept here: they differ between architectures (<c>O_DIRECTORY</c> is 0200000 in asm-generic/fcntl.h, used by x86-64,
/// but 040000 on arm and arm64, where 0200000 is <c>O_DIRECT</c> — a hard-coded x86-64 value made every directory
/// fsync fail with EINVAL on a 64-bit Raspberry Pi). Thread-safe: every call works on its own descriptor.
/// </summary>
internal static partial class Native
{
    [LibraryImport("libc", SetLastError = true)]
    private static partial int fdatasync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint opendir(string path);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int dirfd(nint dir);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int closedir(nint dir);

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

    /// <summary>
    /// Makes the directory's entries (a created, renamed or deleted file) durable: fsync(2) says a file's fsync does
    /// not sync the directory entry that names it, "an explicit fsync() on a file descriptor for the directory is also
    /// needed". The descriptor comes from opendir(3) and dirfd(3) (POSIX.1-2008), so libc — built for this
    /// architecture — picks the open flags: glibc opens with O_RDONLY|O_DIRECTORY|O_CLOEXEC (opendir(3): "sets the
    /// close-on-exec flag for the file descriptor underlying the DIR *", so a child started by another thread meanwhile
    /// does not inherit it), and a path that is not a directory fails with ENOTDIR.
    /// </summary>
    public static void SyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux()) return;
        nint dir = opendir(path);
        if (dir == 0) throw new IOException($"opendir({path}) for directory fsync failed: {Describe(Marshal.GetLastPInvokeError())}");
        try
        {
            // dirfd(3): the descriptor stays owned by the stream (closedir closes it); fsync on it is allowed.
            int fd = dirfd(dir);
            if (fd < 0) throw new IOException($"dirfd({path}) failed: {Describe(Marshal.GetLastPInvokeError())}");
            if (fsync(fd) != 0) throw new IOException($"fsync of directory {path} failed: {Describe(Marshal.GetLastPInvokeError())}");
        }
        finally
        {
            _ = closedir(dir);
        }
    }

    private static string Describe(int errno) => $"errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})";
}
