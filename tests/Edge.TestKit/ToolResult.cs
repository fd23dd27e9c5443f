namespace Edge.TestKit;

/// <summary>How a command ended: exit code and its stdout and stderr interleaved.</summary>
public sealed record ToolResult(string Command, int ExitCode, string Output)
{
    /// <summary>Fails with the command and its output unless it exited 0.</summary>
    public ToolResult Succeeded()
    {
        if (ExitCode != 0) throw new Xunit.Sdk.XunitException($"{Command} exited {ExitCode}:\n{Output}");
        return this;
    }
}
