namespace Edge.Deploy.Tests.TestKit;

/// <summary>
/// Running the gateway as user nobody, as systemd runs it as edge-gateway: the tests run as root, which every
/// permission check lets through.
/// </summary>
public static class Nobody
{
    /// <summary>setpriv options for nobody with no supplementary groups.</summary>
    public static readonly string[] SetprivOptions = ["--reuid=65534", "--regid=65534", "--clear-groups"];

    /// <summary>A temp directory other users can enter (mkdtemp makes it 0700).</summary>
    public static TempDir OpenDir()
    {
        var dir = new TempDir();
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_101_101);
        return dir;
    }

    /// <summary>nobody's home (/nonexistent) does not exist; give the runtime a HOME it may write.</summary>
    public static Dictionary<string, string> Home(TempDir dir)
    {
        string home = dir["home"];
        Directory.CreateDirectory(home);
        Tool.Run("chown", "65534", home).Succeeded();
        return new() { ["HOME"] = home };
    }

    public static uint GroupId(string name) =>
        File.ReadLines("/etc/group").Select(l => l.Split(':')).Where(f => f[0] == name).Select(f => uint.Parse(f[2])).SingleOrDefault()
        is var gid and > 0 ? gid : throw new InvalidOperationException($"no group {name} in /etc/group");
}
