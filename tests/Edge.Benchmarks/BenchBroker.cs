using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Edge.Benchmarks;

/// <summary>
/// The upstream for uplink benchmarks: a Mosquitto (Debian package) the benchmark starts on a free loopback port with
/// the anchors' settings (in memory, no queue or in-flight limits), or an existing broker given as --broker host:port.
/// </summary>
internal sealed class BenchBroker : IDisposable
{
    private readonly Process? _process;
    private readonly string? _dir;

    private BenchBroker(string host, int port, Process? process, string? dir)
    {
        Host = host;
        Port = port;
        _process = process;
        _dir = dir;
    }

    public string Host { get; }

    public int Port { get; }

    /// <summary>Pid of the broker we started (0 for an external one), for its CPU and RSS.</summary>
    public int Pid => _process?.Id ?? 0;

    public static BenchBroker Start(string? external)
    {
        if (external is not null)
        {
            var parts = external.Split(':');
            return new BenchBroker(parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), null, null);
        }
        int port = FreePort();
        string dir = Directory.CreateTempSubdirectory("edge-bench-mosquitto-").FullName;
        string config = Path.Combine(dir, "mosquitto.conf");
        File.WriteAllLines(config, [$"listener {port} 127.0.0.1", "allow_anonymous true", "persistence false", "max_queued_messages 0", "max_inflight_messages 0", "set_tcp_nodelay true",
            $"user {Environment.UserName}", "log_dest none"]);
        var process = Process.Start(new ProcessStartInfo("/usr/sbin/mosquitto", ["-c", config]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true })!;
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
            {
                Thread.Sleep(20); // polling a port the broker is opening: a benchmark setup step, not a test wait
            }
        }
        return new BenchBroker("127.0.0.1", port, process, dir);
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public static double CpuSeconds(int pid)
    {
        if (pid == 0) return double.NaN;
        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }

    public static double StatusMiB(string field, int pid = 0)
    {
        string path = pid == 0 ? "/proc/self/status" : $"/proc/{pid}/status";
        foreach (var line in File.ReadLines(path))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
        return double.NaN;
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process?.Dispose();
        if (_dir is not null) Directory.Delete(_dir, true);
    }
}
