using Microsoft.Win32.SafeHandles;

namespace Edge.Log.IO;

/// <summary>A real file: pread/pwrite through <see cref="RandomAccess"/>, fdatasync through libc.</summary>
internal sealed class PhysicalLogFile : ILogFile
{
    private readonly SafeFileHandle _handle;

    public PhysicalLogFile(string path, bool create)
    {
        Path = path;
        // FileShare.ReadWrite|Delete: readers and retention work on the same file; exclusivity comes from the log's lock file.
        _handle = File.OpenHandle(path, create ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.ReadWrite,
            FileShare.ReadWrite | FileShare.Delete);
    }

    public string Path { get; }

    public long Length => RandomAccess.GetLength(_handle);

    public void Write(ReadOnlySpan<byte> data, long position)
    {
        try
        {
            RandomAccess.Write(_handle, data, position);
        }
        catch (ArgumentOutOfRangeException e)
        {
            // .NET reports EFBIG (the file size limit, RLIMIT_FSIZE or the file system's maximum) as an argument error.
            throw new IOException($"{Path}: file too large to write {data.Length} bytes at {position} (EFBIG: the process's file-size limit or the file system's maximum)", e);
        }
    }

    public int Read(Span<byte> buffer, long position)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = RandomAccess.Read(_handle, buffer[total..], position + total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    public void Sync() => Native.DataSync(_handle, Path);

    public void SetLength(long length)
    {
        try
        {
            RandomAccess.SetLength(_handle, length);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new IOException($"{Path}: file too large to set its length to {length} bytes (EFBIG: the process's file-size limit or the file system's maximum)", e);
        }
    }

    public void Dispose() => _handle.Dispose();
}
