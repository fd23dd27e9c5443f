namespace Edge.Deploy.Tests.TestKit;

/// <summary>
/// A destination root for install.sh and dpkg --root: the account files of a minimal system (so useradd --root
/// creates a real user in it), a dpkg database, and nothing else.
/// </summary>
public sealed class StagingRoot : IDisposable
{
    private readonly TempDir _dir = new();

    public StagingRoot()
    {
        Directory.CreateDirectory(this["etc"]);
        File.WriteAllText(this["etc/passwd"], "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
        File.WriteAllText(this["etc/group"], "root:x:0:\nnogroup:x:65534:\n");
        File.WriteAllText(this["etc/shadow"], "root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n");
        File.WriteAllText(this["etc/gshadow"], "root:*::\nnogroup:*::\n");
        File.SetUnixFileMode(this["etc/shadow"], UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        File.SetUnixFileMode(this["etc/gshadow"], UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Directory.CreateDirectory(this["usr/sbin"]);
        File.WriteAllText(this["usr/sbin/nologin"], "#!/bin/sh\nexit 1\n");
        File.SetUnixFileMode(this["usr/sbin/nologin"], (UnixFileMode)0b111_101_101);
        foreach (string d in new[] { "var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers" }) Directory.CreateDirectory(this[d]);
        File.WriteAllText(this["var/lib/dpkg/status"], "");
    }

    public string Path => _dir.Path;

    public string this[string relative] => _dir[relative];

    /// <summary>The passwd entry of <paramref name="user"/> as its fields, or null.</summary>
    public string[]? User(string user) => Entry("etc/passwd", user);

    /// <summary>The group entry of <paramref name="group"/> as its fields, or null.</summary>
    public string[]? Group(string group) => Entry("etc/group", group);

    /// <summary>Owner uid, gid and permission bits of a path inside the root.</summary>
    public (uint Uid, uint Gid, string Mode) Stat(string relative)
    {
        string[] f = Tool.Run("stat", "-c", "%u %g %a", this[relative]).Succeeded().Output.Trim().Split(' ');
        return (uint.Parse(f[0]), uint.Parse(f[1]), f[2]);
    }

    private string[]? Entry(string file, string name) =>
        File.ReadLines(this[file]).Select(l => l.Split(':')).FirstOrDefault(f => f[0] == name);

    public void Dispose() => _dir.Dispose();
}
