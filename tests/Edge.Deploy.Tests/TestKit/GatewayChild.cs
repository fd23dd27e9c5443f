using System.Diagnostics;

namespace Edge.Deploy.Tests.TestKit;

/// <summary>
/// The real gateway (edge-gateway.dll beside the tests) as a child process with the environment a unit would give it,
/// optionally as another user through setpriv.
/// </summary>
public sealed class GatewayChild : ChildProcess
{
    /// <param name="runAs">setpriv options to run as another user; then <paramref name="binaries"/> must be readable by that user.</param>
    public GatewayChild(IEnumerable<string> args, IDictionary<string, string>? env = null, string[]? runAs = null, string? binaries = null)
        : base(WithEnvironment(DotnetStart(args, runAs, binaries ?? AppContext.BaseDirectory), env))
    {
    }

    private GatewayChild(ProcessStartInfo start)
        : base(start)
    {
    }

    /// <summary>An installed, self-contained gateway: its apphost run directly, as the unit's ExecStart does.</summary>
    public static GatewayChild Installed(string executable, IDictionary<string, string> env) =>
        new(WithEnvironment(new ProcessStartInfo(executable) { ArgumentList = { $"--Broker:Port={FreePort.Get()}" } }, env));

    /// <summary>
    /// A gateway started by <paramref name="command"/> (an emulator and its arguments, then the program and its own):
    /// the process signalled and awaited is the emulator, which runs the program in its own process and passes
    /// signals and the exit status through.
    /// </summary>
    public static GatewayChild Emulated(IReadOnlyList<string> command, IDictionary<string, string>? env = null)
    {
        var start = new ProcessStartInfo(command[0]);
        foreach (string a in command.Skip(1)) start.ArgumentList.Add(a);
        return new(WithEnvironment(start, env));
    }

    private static ProcessStartInfo WithEnvironment(ProcessStartInfo start, IDictionary<string, string>? env)
    {
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        // Whatever runs the tests must not leak a supervisor's variables into the child.
        foreach (string v in new[] { "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "CONFIGURATION_DIRECTORY", "STATE_DIRECTORY" }) start.Environment.Remove(v);
        if (env is not null) foreach (var (k, v) in env) start.Environment[k] = v;
        return start;
    }

    private static ProcessStartInfo DotnetStart(IEnumerable<string> args, string[]? runAs, string binaries)
    {
        var start = new ProcessStartInfo(runAs is null ? "dotnet" : "setpriv");
        if (runAs is not null)
        {
            foreach (string a in runAs) start.ArgumentList.Add(a);
            start.ArgumentList.Add("dotnet");
        }
        start.ArgumentList.Add(Path.Combine(binaries, "edge-gateway.dll"));
        var list = args.ToList();
        foreach (string a in list) start.ArgumentList.Add(a);
        // Each gateway gets its own local broker port: test classes run in parallel and 1883 may be taken.
        if (!list.Any(a => a.StartsWith("--Broker:", StringComparison.Ordinal))) start.ArgumentList.Add($"--Broker:Port={FreePort.Get()}");
        return start;
    }
}
