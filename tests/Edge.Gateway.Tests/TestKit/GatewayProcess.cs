using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Edge.Gateway.Tests.TestKit;

/// <summary>
/// The real gateway executable (edge-gateway.dll beside the tests) as a child process with its own log directory.
/// Output lines are collected so tests wait on what the gateway says rather than sleeping.
/// </summary>
public sealed partial class GatewayProcess : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _all = [];

    public GatewayProcess(string logDirectory, params string[] args)
        : this(logDirectory, null, args)
    {
    }

    private GatewayProcess(string logDirectory, int? fileSizeLimitKiB, string[] args)
    {
        LogDirectory = logDirectory;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (fileSizeLimitKiB is { } limit)
        {
            // RLIMIT_FSIZE: a write past the limit fails with EFBIG, as a full disk fails with ENOSPC. SIGXFSZ is ignored
            // (an ignored signal stays ignored across exec) so the write fails instead of killing the process, and
            // W^X double mapping is off because the runtime maps code through a memfd sized beyond any small limit.
            start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"trap '' XFSZ; ulimit -f {limit}; exec dotnet \"$@\"");
            start.ArgumentList.Add("gateway");
            start.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        }
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "edge-gateway.dll"));
        start.ArgumentList.Add($"--Log:Directory={logDirectory}");
        // Each gateway gets its own local broker port: tests run in parallel and CI may have Mosquitto on 1883.
        BrokerPort = args.FirstOrDefault(a => a.StartsWith("--Broker:Port=", StringComparison.Ordinal)) is { } given
            ? int.Parse(given["--Broker:Port=".Length..]) : FreePort();
        if (!args.Any(a => a.StartsWith("--Broker:Port=", StringComparison.Ordinal))) start.ArgumentList.Add($"--Broker:Port={BrokerPort}");
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>A gateway whose files may not grow beyond <paramref name="kib"/> KiB: its log writes fail like on a full disk.</summary>
    public static GatewayProcess WithFileSizeLimit(string logDirectory, int kib, params string[] args) => new(logDirectory, kib, args);

    public string LogDirectory { get; }

    /// <summary>The port of the gateway's embedded broker (loopback).</summary>
    public int BrokerPort { get; }

    public static int FreePort() => Edge.Uplink.Tests.TestKit.Mosquitto.FreePort();

    public int Pid => _process.Id;

    /// <summary>Everything printed so far (stdout and stderr).</summary>
    public string Output
    {
        get { lock (_all) return string.Join('\n', _all); }
    }

    /// <summary>Waits for a line matching <paramref name="match"/>; fails with the output so far on timeout or exit.</summary>
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
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as systemd does on stop.</summary>
    public void Terminate() => _ = Kill(_process.Id, 15);

    /// <summary>Sends SIGKILL: a crash or power cut of the process (no shutdown code runs) and waits for it to be gone.</summary>
    public void Crash()
    {
        _ = Kill(_process.Id, 9);
        _process.WaitForExit();
    }

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
}
