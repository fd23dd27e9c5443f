namespace Edge.Benchmarks;

/// <summary>
/// The upstream for uplink benchmarks: a Mosquitto (Debian package) the benchmark starts on a free loopback port with
/// the anchors' settings (in memory, no queue or in-flight limits), or an existing broker given as --broker host:port.
/// </summary>
internal sealed class BenchBroker : IDisposable
{
    private readonly Mosquitto? _mosquitto;
    private readonly TempDir? _dir;

    private BenchBroker(string host, int port, Mosquitto? mosquitto, TempDir? dir)
    {
        Host = host;
        Port = port;
        _mosquitto = mosquitto;
        _dir = dir;
    }

    public string Host { get; }

    public int Port { get; }

    /// <summary>Pid of the broker we started (0 for an external one), for its CPU and RSS.</summary>
    public int Pid => _mosquitto?.Pid ?? 0;

    public static BenchBroker Start(string? external)
    {
        if (external is not null)
        {
            var parts = external.Split(':');
            return new BenchBroker(parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), null, null);
        }
        var dir = new TempDir("edge-bench-mosquitto-");
        try
        {
            // In memory: a drain measures the uplink and the network path, not the broker's persistence.
            var mosquitto = new Mosquitto(dir.Path, "persistence false");
            return new BenchBroker("127.0.0.1", mosquitto.Port, mosquitto, dir);
        }
        catch
        {
            dir.Dispose();
            throw;
        }
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
        _mosquitto?.Dispose();
        _dir?.Dispose();
    }
}
