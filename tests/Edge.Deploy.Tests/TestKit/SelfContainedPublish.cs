namespace Edge.Deploy.Tests.TestKit;

/// <summary>
/// `dotnet publish gateway -c Release -r RID --self-contained`, as a user or CI does for a release. The sources are
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
        string location = work[$"publish-{rid}"];
        Tool.Run("dotnet", ["publish", Path.Combine(src, "gateway"), "-c", "Release", "-r", rid, "--self-contained", "-o", location, "-nologo", "-v", "q", "--disable-build-servers"],
            TimeSpan.FromMinutes(10), new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" }).Succeeded();
        return location;
    }
}
