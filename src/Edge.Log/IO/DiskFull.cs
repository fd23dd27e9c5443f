namespace Edge.Log.IO;

/// <summary>Recognises "the disk is full" among I/O errors.</summary>
public static class DiskFull
{
    // .NET puts errno into IOException.HResult on Unix (Interop.GetExceptionForIoErrno); on Windows it is the HRESULT.
    private const int Enospc = 28;                        // Linux errno-base.h: No space left on device
    private const int Edquot = 122;                       // Linux asm-generic/errno.h: Disk quota exceeded
    private const int ErrorDiskFull = unchecked((int)0x80070070);       // ERROR_DISK_FULL
    private const int ErrorHandleDiskFull = unchecked((int)0x80070027); // ERROR_HANDLE_DISK_FULL

    /// <summary>
    /// True for ENOSPC and EDQUOT (write(2), fdatasync(2), ftruncate(2), open(2) with O_CREAT): the file system has no
    /// room now but may have later. Anything else (EIO, EFBIG, EROFS) is not a full disk.
    /// </summary>
    public static bool Is(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is IOException { HResult: var h } && (OperatingSystem.IsWindows() ? h is ErrorDiskFull or ErrorHandleDiskFull : h is Enospc or Edquot))
                return true;
        return false;
    }
}
