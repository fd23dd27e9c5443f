using Edge.Log.IO;
using Edge.Log.Tests.TestKit;

namespace Edge.Log.Tests;

/// <summary>
/// The real file system's directory fsync, through libc's opendir(3) rather than open(2) flag values (which differ
/// between x86-64 and arm64). That it runs on arm64 is tested by Edge.Deploy.Tests' Arm64GatewayTests under qemu.
/// </summary>
public class PhysicalFileSystemTests
{
    [Fact]
    public void SyncDirectory_syncs_a_directory_after_a_file_is_created_in_it()
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "segment"), "x");
        PhysicalFileSystem.Instance.SyncDirectory(dir.Path);
    }

    [Fact]
    public void SyncDirectory_of_a_regular_file_fails_naming_the_path_and_the_reason()
    {
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, "not-a-directory");
        File.WriteAllText(file, "x");
        var e = Assert.Throws<IOException>(() => PhysicalFileSystem.Instance.SyncDirectory(file));
        Assert.Contains(file, e.Message);
        Assert.Contains("errno 20 ", e.Message); // ENOTDIR: opendir(3) opens with O_DIRECTORY
    }

    [Fact]
    public void SyncDirectory_of_a_missing_directory_fails_naming_the_path()
    {
        using var dir = new TempDir();
        string missing = Path.Combine(dir.Path, "gone");
        var e = Assert.Throws<IOException>(() => PhysicalFileSystem.Instance.SyncDirectory(missing));
        Assert.Contains(missing, e.Message);
        Assert.Contains("errno 2 ", e.Message); // ENOENT
    }
}
