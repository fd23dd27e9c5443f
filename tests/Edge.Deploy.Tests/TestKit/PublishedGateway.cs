using System.Runtime.InteropServices;

namespace Edge.Deploy.Tests.TestKit;

/// <summary>
/// One self-contained `dotnet publish` of the gateway for this machine's architecture, made once for the install and
/// package tests (as a user or CI would for a release), plus the .deb packages built from it by deploy/deb/build.sh.
/// </summary>
public sealed class PublishedGateway : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Dictionary<string, string> _debs = [];

    public PublishedGateway()
    {
        (Rid, DebArch) = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => ("linux-x64", "amd64"),
            Architecture.Arm64 => ("linux-arm64", "arm64"),
            var a => throw new PlatformNotSupportedException($"no release runtime for {a}"),
        };
        Location = SelfContainedPublish.Run(Rid, _dir);
    }

    public string Rid { get; }

    public string DebArch { get; }

    /// <summary>The published tree (what install.sh --from and build.sh --from take).</summary>
    public string Location { get; }

    /// <summary>The .deb of <paramref name="version"/>, built once with deploy/deb/build.sh.</summary>
    public string Deb(string version)
    {
        lock (_debs)
        {
            if (_debs.TryGetValue(version, out string? deb)) return deb;
            Tool.Require("dpkg-deb", "dpkg");
            string output = Tool.Run(Path.Combine(Repo.Deploy, "deb", "build.sh"), ["--arch", DebArch, "--from", Location, "--version", version, "--out", _dir["debs"]],
                TimeSpan.FromMinutes(5)).Succeeded().Output;
            deb = output.Trim().Split('\n')[^1].Trim();
            Assert.True(File.Exists(deb), $"build.sh did not print the .deb path:\n{output}");
            return _debs[version] = deb;
        }
    }

    public void Dispose() => _dir.Dispose();
}
