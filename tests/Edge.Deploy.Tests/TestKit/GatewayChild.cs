using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Edge.Deploy.Tests.TestKit;

/// <summary>
/// The real gateway (edge-gateway.dll beside the tests) as a child process with the environment a unit would give it,
/// optionally as another user through setpriv. Output lines are collected so tests wait on them rather than sleeping.
/// </summary>
public sealed partial class GatewayChild : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _all = [];

    /// <param name="runAs">setpriv options to run as another user; then <paramref name="binaries"/> must be readable by that user.</param>
    public GatewayChild(IEnumerable<string> args, IDictionary<string, string>? env = null, string[]? runAs = null, string? binaries = null)
        : this(DotnetStart(args, runAs, binaries ?? AppContext.BaseDirectory), env)
    {
    }

    private GatewayChild(ProcessStartInfo start, IDictionary<string, string>? env)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        // Whatever runs the tests must not leak a supervisor's variables into the child.
        foreach (string v in new[] { "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "CONFIGURATION_DIRECTORY", "STATE_DIRECTORY" }) start.Environment.Remove(v);
        if (env is not null) foreach (var (k, v) in env) start.Environment[k] = v;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>An installed, self-contained gateway: its apphost run directly, as the unit's ExecStart does.</summary>
    public static GatewayChild Installed(string executable, IDictionary<string, string> env) =>
        new(new ProcessStartInfo(executable) { ArgumentList = { $"--Broker:Port={FreePort()}" } }, env);

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
        if (!list.Any(a => a.StartsWith("--Broker:", StringComparison.Ordinal))) start.ArgumentList.Add($"--Broker:Port={FreePort()}");
        return start;
    }

    public int Pid => _process.Id;

    public string Output
    {
        get { lock (_all) return string.Join('\n', _all); }
    }

    /// <summary>Waits for a line matching <paramref name="match"/>; fails with the output so far on timeout.</summary>
    public async Task<string> WaitForLine(Func<string, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(cts.Token))
                while (_lines.Reader.TryRead(out string? line))
                    if (match(line)) return line;
        }
        catch (OperationCanceledException)
        {
        }
        throw new TimeoutException($"no matching line within {timeout}; output:\n{Output}");
    }

    public async Task<int> WaitForExit(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the gateway did not exit within {timeout}; output:\n{Output}");
        }
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as systemd does on stop.</summary>
    public void Terminate() => _ = Kill(_process.Id, 15);

    private void Add(string? line)
    {
        if (line is null) return;
        lock (_all) _all.Add(line);
        _lines.Writer.TryWrite(line);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }
}
