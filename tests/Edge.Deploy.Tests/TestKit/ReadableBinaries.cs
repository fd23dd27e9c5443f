namespace Edge.Deploy.Tests.TestKit;

/// <summary>
/// A copy of the test binaries (edge-gateway.dll and its dependencies) that any user can read, for running the
/// gateway as another user: the checkout may live under a directory only root can enter (CI clones anywhere).
/// Made once per test run, removed when the test process exits.
/// </summary>
public static class ReadableBinaries
{
    private static readonly Lazy<string> Copy = new(() =>
    {
        string dir = Directory.CreateTempSubdirectory("edge-deploy-bin-").FullName;
        Tool.Run("cp", "-a", AppContext.BaseDirectory.TrimEnd('/') + "/.", dir).Succeeded();
        Tool.Run("chmod", "-R", "a+rX", dir).Succeeded();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(dir, recursive: true);
        return dir;
    });

    public static string Location => Copy.Value;
}
