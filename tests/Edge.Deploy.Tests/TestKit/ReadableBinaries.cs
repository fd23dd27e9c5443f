namespace Edge.Deploy.Tests.TestKit;

/// <summary>
/// A copy of the test binaries (edge-gateway.dll and its dependencies) that any user can read, for running the
/// gateway as another user: the checkout may live under a directory only root can enter (CI clones anywhere).
/// A class fixture: made once for the tests that need it, removed after them.
/// </summary>
public sealed class ReadableBinaries : IDisposable
{
    private readonly TempDir _dir = new();

    public ReadableBinaries()
    {
        Tool.Run("cp", "-a", AppContext.BaseDirectory.TrimEnd('/') + "/.", _dir.Path).Succeeded();
        Tool.Run("chmod", "-R", "a+rX", _dir.Path).Succeeded();
    }

    public string Location => _dir.Path;

    public void Dispose() => _dir.Dispose();
}
