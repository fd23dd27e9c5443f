namespace Edge.Deploy.Tests.TestKit;

/// <summary>
/// The gateway published self-contained for <c>linux-arm64</c> (the Raspberry Pi OS 64-bit release) and run on this
/// machine under qemu-user, Debian's user-mode emulator, with Debian's arm64 cross libraries as the sysroot. A class
/// fixture: published once for the tests that use it.
/// <para>
/// The program is started as <c>qemu-aarch64 -L SYSROOT edge-gateway ...</c> rather than through binfmt_misc, which a
/// CI container may not have registered. The apphost's interpreter (/lib/ld-linux-aarch64.so.1) and the libraries the
/// runtime loads (libc, libstdc++, libgcc_s) are looked up under -L first. No runtime setting is needed: with Debian
/// 12's qemu 7.2 the defaults work (the JIT's arm64 code is translated like any other, W^X double mapping included),
/// so neither DOTNET_GCHeapHardLimit nor DOTNET_EnableWriteXorExecute=0 is set — the program runs as on a Pi. Starting
/// takes ~10 s instead of ~1 s (every instruction is translated), hence the long timeouts of the tests that use it.
/// </para>
/// </summary>
public sealed class EmulatedArm64Gateway : IDisposable
{
    public const string Sysroot = "/usr/aarch64-linux-gnu";
    private readonly TempDir _dir = new();

    public EmulatedArm64Gateway()
    {
        Qemu = Tool.Require("qemu-aarch64", "qemu-user");
        Tool.RequireFiles([$"{Sysroot}/lib/ld-linux-aarch64.so.1", $"{Sysroot}/lib/libc.so.6"], "libc6-arm64-cross");
        Tool.RequireFiles([$"{Sysroot}/lib/libstdc++.so.6"], "libstdc++6-arm64-cross");
        Tool.RequireFiles([$"{Sysroot}/lib/libgcc_s.so.1"], "libgcc-s1-arm64-cross");
        Location = SelfContainedPublish.Run("linux-arm64", _dir);
        Executable = Path.Combine(Location, "edge-gateway");
        // Readable by any user, for the tests that run it as nobody (mkdtemp made the directory 0700).
        Tool.Run("chmod", "-R", "a+rX", _dir.Path).Succeeded();
    }

    public string Qemu { get; }

    /// <summary>The published tree.</summary>
    public string Location { get; }

    /// <summary>The apphost: an arm64 ELF executable.</summary>
    public string Executable { get; }

    /// <summary>
    /// Starts the arm64 gateway under qemu with <paramref name="args"/> (which must include --Broker:Port), as another
    /// user when <paramref name="runAs"/> gives setpriv options.
    /// </summary>
    public GatewayChild Start(IEnumerable<string> args, IDictionary<string, string>? env = null, string[]? runAs = null) =>
        GatewayChild.Emulated(runAs is null ? [Qemu, "-L", Sysroot, Executable, .. args] : ["setpriv", .. runAs, Qemu, "-L", Sysroot, Executable, .. args], env);

    public void Dispose() => _dir.Dispose();
}
