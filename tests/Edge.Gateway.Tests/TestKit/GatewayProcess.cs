using System.Diagnostics;

namespace Edge.Gateway.Tests.TestKit;

/// <summary>The real gateway executable (edge-gateway.dll beside the tests) as a child process with its own log directory.</summary>
public sealed class GatewayProcess : ChildProcess
{
    public GatewayProcess(string logDirectory, params string[] args)
        : this(Start(logDirectory, null, args), logDirectory)
    {
    }

    private GatewayProcess((ProcessStartInfo Start, int BrokerPort) start, string logDirectory)
        : base(start.Start)
    {
        LogDirectory = logDirectory;
        BrokerPort = start.BrokerPort;
    }

    /// <summary>A gateway whose files may not grow beyond <paramref name="kib"/> KiB: its log writes fail like on a full disk.</summary>
    public static GatewayProcess WithFileSizeLimit(string logDirectory, int kib, params string[] args) => new(Start(logDirectory, kib, args), logDirectory);

    public string LogDirectory { get; }

    /// <summary>The port of the gateway's embedded broker (loopback).</summary>
    public int BrokerPort { get; }

    private static (ProcessStartInfo, int) Start(string logDirectory, int? fileSizeLimitKiB, string[] args)
    {
        var start = new ProcessStartInfo("dotnet");
        if (fileSizeLimitKiB is { } limit)
        {
            // RLIMIT_FSIZE: a write past the limit fails with EFBIG, as a full disk fails with ENOSPC. SIGXFSZ is ignored
            // (an ignored signal stays ignored across exec) so the write fails instead of killing the process, and
            // W^X double mapping is off because the runtime maps code through a memfd sized beyond any small limit.
            start = new ProcessStartInfo("bash") { ArgumentList = { "-c", $"trap '' XFSZ; ulimit -f {limit}; exec dotnet \"$@\"", "gateway" } };
            start.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        }
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "edge-gateway.dll"));
        start.ArgumentList.Add($"--Log:Directory={logDirectory}");
        // Each gateway gets its own local broker port: tests run in parallel and CI may have Mosquitto on 1883.
        int port = args.FirstOrDefault(a => a.StartsWith("--Broker:Port=", StringComparison.Ordinal)) is { } given ? int.Parse(given["--Broker:Port=".Length..]) : FreePort.Get();
        if (!args.Any(a => a.StartsWith("--Broker:Port=", StringComparison.Ordinal))) start.ArgumentList.Add($"--Broker:Port={port}");
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        return (start, port);
    }
}
