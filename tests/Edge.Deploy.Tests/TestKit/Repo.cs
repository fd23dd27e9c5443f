namespace Edge.Deploy.Tests.TestKit;

/// <summary>Paths in this checkout, found from the test binaries upwards.</summary>
public static class Repo
{
    public static string Root { get; } = Find();

    public static string Deploy => Path.Combine(Root, "deploy");

    public static string Unit => Path.Combine(Deploy, "systemd", "edge-gateway.service");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Edge.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Edge.sln above {AppContext.BaseDirectory}");
    }
}
