using System.Runtime.InteropServices;

namespace Edge.Gateway.Startup;

/// <summary>
/// open(2) flag values for the start-up checks, chosen per architecture. Linux numbers several flags per
/// architecture (arch/*/include/uapi/asm/fcntl.h override asm-generic/fcntl.h): O_DIRECTORY, O_NOFOLLOW, O_DIRECT and
/// O_LARGEFILE differ between x86-64 and arm64 — O_DIRECTORY of one is O_DIRECT of the other — so a value is used
/// only for an architecture it was checked for, never assumed for the others.
/// </summary>
public static class OpenFlags
{
    /// <summary>O_RDWR: the access mode, 2 on every Linux architecture (asm-generic/fcntl.h; no architecture overrides it).</summary>
    public const int ReadWrite = 2;

    /// <summary>
    /// O_NONBLOCK | O_CLOEXEC on <paramref name="architecture"/>, or 0 where they were not checked. O_NONBLOCK: an
    /// open that could wait (a tty for its carrier) returns at once; O_CLOEXEC: a program another thread starts before
    /// the descriptor is closed does not inherit it (open(2), "O_CLOEXEC"). Both are precautions: an i2c-dev or gpiochip
    /// open never waits and the checks start no program, so on an unchecked architecture the check runs without them.
    /// </summary>
    public static int NonBlockCloseOnExec(Architecture architecture) => architecture switch
    {
        // asm-generic/fcntl.h: O_NONBLOCK 00004000, O_CLOEXEC 02000000. x86 takes asm-generic as is;
        // arch/arm/include/uapi/asm/fcntl.h and arch/arm64/include/uapi/asm/fcntl.h override only O_DIRECTORY,
        // O_NOFOLLOW, O_DIRECT and O_LARGEFILE.
        Architecture.X64 or Architecture.X86 or Architecture.Arm64 or Architecture.Arm => 0x800 | 0x80000,
        _ => 0,
    };

    /// <summary>Read-write, as the I2C and GPIO drivers open their nodes, on the architecture this process runs on.</summary>
    public static int DeviceReadWrite => ReadWrite | NonBlockCloseOnExec(RuntimeInformation.ProcessArchitecture);
}
