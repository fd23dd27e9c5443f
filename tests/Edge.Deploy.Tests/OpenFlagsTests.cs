using System.Runtime.InteropServices;
using Edge.Deploy.Tests.TestKit;
using Edge.Gateway.Startup;

namespace Edge.Deploy.Tests;

/// <summary>
/// The open(2) flags of the start-up checks, per architecture. Their use on arm64 is tested by running the arm64
/// build under qemu (Arm64GatewayTests); here, the table and what the flags do on this machine.
/// </summary>
public partial class OpenFlagsTests
{
    private const int FGetFd = 1, FdCloExec = 1; // asm-generic/fcntl.h, every architecture

    [Theory]
    [InlineData(Architecture.X64)]
    [InlineData(Architecture.X86)]
    [InlineData(Architecture.Arm64)]
    [InlineData(Architecture.Arm)]
    public void Checked_architectures_get_O_NONBLOCK_and_O_CLOEXEC_of_asm_generic(Architecture architecture) =>
        // O_NONBLOCK 00004000 | O_CLOEXEC 02000000 (octal, include/uapi/asm-generic/fcntl.h); arm and arm64 override
        // other flags only. O_DIRECTORY is the counter-example: 00200000 here, 040000 on arm64.
        Assert.Equal(Convert.ToInt32("02004000", 8), OpenFlags.NonBlockCloseOnExec(architecture));

    [Theory]
    [InlineData(Architecture.RiscV64)]
    [InlineData(Architecture.LoongArch64)]
    [InlineData(Architecture.Ppc64le)]
    [InlineData(Architecture.S390x)]
    public void Unchecked_architectures_get_no_optional_flag_rather_than_a_guessed_one(Architecture architecture) =>
        Assert.Equal(0, OpenFlags.NonBlockCloseOnExec(architecture));

    [Fact]
    public async Task On_this_machine_the_flags_make_an_open_that_would_wait_return_at_once_and_the_descriptor_close_on_exec()
    {
        using var dir = new TempDir();
        string fifo = dir["fifo"];
        Tool.Run("mkfifo", fifo).Succeeded();
        // fifo(7): opening a FIFO read-only waits for a writer unless O_NONBLOCK is given. O_RDONLY is 0.
        var opening = Task.Run(() => (Fd: Open(fifo, OpenFlags.NonBlockCloseOnExec(RuntimeInformation.ProcessArchitecture)), Errno: Marshal.GetLastPInvokeError()));
        (int Fd, int Errno) opened;
        try
        {
            opened = await opening.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            using (File.OpenWrite(fifo)) { } // lets the waiting open go
            throw new Xunit.Sdk.XunitException("open(2) of a FIFO waited for a writer: the O_NONBLOCK value is wrong for this architecture");
        }
        Assert.True(opened.Fd >= 0, $"open failed: errno {opened.Errno}");
        try
        {
            Assert.Equal(FdCloExec, Fcntl(opened.Fd, FGetFd) & FdCloExec);
        }
        finally
        {
            _ = Close(opened.Fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fcntl")]
    private static partial int Fcntl(int fd, int command);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
