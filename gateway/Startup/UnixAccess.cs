using System.Runtime.InteropServices;

namespace Edge.Gateway.Startup;

/// <summary>
/// The few POSIX calls the start-up checks need and .NET does not expose: open(2) with its errno (File.Open maps
/// EACCES and EPERM to the same exception, and they need different advice), and statx(2) for a node's group
/// (statx's layout is the same on arm64 and x64, unlike struct stat).
/// </summary>
public static partial class UnixAccess
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EACCES = 13;

    private const int ORdWr = 2;
    private const int OCloExec = 0x80000;
    private const int ONonBlock = 0x800;
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;

    /// <summary>Opens <paramref name="path"/> read-write as the drivers will (i2c-dev and gpiod both need O_RDWR) and closes it; 0 or the errno.</summary>
    public static int TryOpenReadWrite(string path)
    {
        int fd = Open(path, ORdWr | OCloExec | ONonBlock);
        if (fd < 0) return Marshal.GetLastPInvokeError();
        _ = Close(fd);
        return 0;
    }

    /// <summary>The owning group id of <paramref name="path"/>, or null when it cannot be stat'ed.</summary>
    public static unsafe uint? GroupOf(string path)
    {
        // struct statx (linux/stat.h): stx_gid is the u32 at byte 24; the buffer is 256 bytes.
        byte* buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, 0, StatxBasicStats, buffer) != 0) return null;
        return *(uint*)(buffer + 24);
    }

    /// <summary>The message of an errno (strerror).</summary>
    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
