namespace Edge.Log.IO;

/// <summary>What statvfs(3) says about the file system under a directory: its size and the bytes this process may still write.</summary>
/// <param name="TotalBytes">The file system's size (f_blocks × f_frsize).</param>
/// <param name="AvailableBytes">Free bytes available to an unprivileged writer (f_bavail × f_frsize): ext4's root reserve is not counted.</param>
public readonly record struct DiskSpace(long TotalBytes, long AvailableBytes);
