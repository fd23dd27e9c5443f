using System.Runtime.InteropServices;

namespace Edge.Gateway.Startup;

/// <summary>
/// The few POSIX calls the start-up checks need and .NET does not expose: open(2) with its errno (File.Open maps
/// EACCES and EPERM to the same exception, and they need different advice), and statx(2) for a node's group.
/// statx rather than stat: struct statx (linux/stat.h) is made of fixed-width fields and is the same on every
/// architecture, while struct stat differs between x86-64 and arm64. The open flags come from <see cref="OpenFlags"/>;
/// the errno values below are the same on every Linux architecture (asm-generic/errno-base.h). Tested on arm64 under
/// qemu by Edge.Deploy.Tests' Arm64GatewayTests.
/// </summary>
public static partial class UnixAccess
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EACCES = 13;

    private const int AtFdCwd = -100; // linux/fcntl.h, all architectures
    private const uint StatxBasicStats = 0x7ff; // linux/stat.h

    /// <summary>Opens <paramref name="path"/> read-write as the drivers will (i2c-dev and gpiod both need O_RDWR) and closes it; 0 or the errno.</summary>
    public static int TryOpenReadWrite(string path)
    {
        int fd = Open(path, OpenFlags.DeviceReadWrite);
        if (fd < 0) return Marshal.GetLastPInvokeError();
        _ = Close(fd);
        return 0;
    }

    /// <summary>The owning group id of <paramref name="path"/>, or null when it cannot be stat'ed.</summary>
    public static unsafe uint? GroupOf(string path)
    {
        // struct statx (linux/stat.h): stx_mask u32 @0, stx_blksize u32 @4, stx_attributes u64 @8, stx_nlink u32 @16,
        // stx_uid u32 @20, stx_gid u32 @24; 256 bytes in all (the kernel fills what the mask asks for).
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
