namespace Edge.Deploy.Tests.TestKit;

/// <summary>
/// `dotnet publish gateway -c Release -r RID --self-contained`, as a user or CI does for a release: a Native AOT program. The sources are
/// published from a copy so the checkout's obj/ (restored for the tests' own build, without a runtime identifier) is
/// not touched; the runtime pack for <c>RID</c> comes from the package registry like any other package.
/// </summary>
public static class SelfContainedPublish
{
    /// <summary>Publishes into <paramref name="work"/>/publish-RID and returns that directory.</summary>
    public static string Run(string rid, TempDir work)
    {
        string src = work[$"src-{rid}"];
        Directory.CreateDirectory(src);
        Tool.Run("bash", "-c", $"tar -C '{Repo.Root}' --exclude=./.git --exclude=./tests --exclude=bin --exclude=obj -cf - . | tar -C '{src}' -xf -").Succeeded();
        NativeToolchain(rid);
        string location = work[$"publish-{rid}"];
        Tool.Run("dotnet", ["publish", Path.Combine(src, "gateway"), "-c", "Release", "-r", rid, "--self-contained", "-o", location, "-nologo", "-v", "q", "--disable-build-servers"],
            TimeSpan.FromMinutes(10), new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" }).Succeeded();
        return location;
    }

    // The gateway publishes as Native AOT (gateway/Edge.Gateway.csproj): clang drives the link, with lld; for arm64 on
    // another machine, the cross binutils, GCC's arm64 runtime objects and the arm64 C library (deploy/README.md).
    private static void NativeToolchain(string rid)
    {
        Tool.Require("clang", "clang");
        Tool.Require("ld.lld", "lld");
        if (rid == "linux-arm64" && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.Arm64)
        {
            Tool.Require("aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu");
            Tool.RequireFiles(["/usr/aarch64-linux-gnu/lib/crt1.o"], "libc6-dev-arm64-cross");
        }
    }
}
