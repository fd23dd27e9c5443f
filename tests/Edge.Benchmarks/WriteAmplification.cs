using System.Diagnostics;
using System.Globalization;
using Edge.FirmwareSim.Cli;
using Edge.Log;

namespace Edge.Benchmarks;

/// <summary>
/// write-amplification: what the real gateway makes the kernel write to the device per reading it stores. The gateway
/// (edge-gateway.dll beside the benchmarks) runs as a child process with its shipped defaults and simulated sensors,
/// its log under --dir, which must be on a block device (tmpfs writes nothing to a device: write_bytes stays 0).
/// Device bytes = the growth of <c>write_bytes</c> in /proc/&lt;pid&gt;/io over --seconds after --warmup: the bytes
/// the process caused to be sent to the storage layer, counted a page (4 KiB) each time it dirties a clean page
/// (proc(5); Documentation/filesystems/proc.rst), which is how a sync of a partly filled page costs a whole page. The
/// ext4 journal's own writes (jbd2) are not in it; when --dir is on a loop device (a loop-mounted ext4 image) the
/// device's own count of bytes written, journal included, is reported too. Stored = the readings whose timestamps fall in the window, read
/// back from the log after the gateway stopped: their key+value bytes (payload) and the log's growth. One row per
/// --rates entry: 0 is the gateway alone (its sensors, ~6 readings/s), N adds N readings/s from --nodes remote nodes (20)
/// through ingest (firmware-sim fleet, QoS 1, 16 in flight each). --gateway-arg passes a setting to the gateway
/// (e.g. --gateway-arg --Log:Topics:health:FlushMaxIntervalMs=0 to price a flush setting).
/// </summary>
internal static class WriteAmplification
{
    public static async Task<List<Result>> RunAsync(BenchOptions opt)
    {
        var results = new List<Result>();
        foreach (double rate in opt.Rates.Length > 0 ? opt.Rates : [0, 1000])
            results.Add(await RunOneAsync(opt, rate));
        return results;
    }

    private static async Task<Result> RunOneAsync(BenchOptions opt, double rate)
    {
        string dir = LogAppend.Fresh(opt.Dir, $"write-amplification-{rate.ToString(CultureInfo.InvariantCulture)}");
        string logDir = Path.Combine(dir, "log");
        var (fsType, device) = FileSystemOf(dir);
        if (fsType is "tmpfs" or "ramfs")
            throw new ArgumentException($"--dir {opt.Dir} is on {fsType}: nothing reaches a device there and write_bytes stays 0; pass a --dir on a disk (ext4 on the SD card, or a loop-mounted ext4 image)");
        int port = FreePort.Get();
        // The fleet's nodes all connect anonymously from loopback, which the ingest rate limit counts as one node: lift it,
        // this measures the log's writes at the asked rate, not the limit.
        string[] ingest = rate > 0 ? ["--Ingest:ReadingsPerSecond=1000000", "--Ingest:Burst=1000000"] : [];
        string[] args = [$"--Log:Directory={logDir}", "--Hardware:Mode=simulated", $"--Broker:Port={port}", "--Gateway:Id=bench", "--Gateway:StatusInterval=01:00:00",
            .. ingest, .. opt.GatewayArgs];
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "edge-gateway.dll") } };
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (string v in new[] { "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "CONFIGURATION_DIRECTORY", "STATE_DIRECTORY" }) start.Environment.Remove(v);
        using var gateway = new ChildProcess(start);
        await gateway.WaitForLine(l => l.Contains("local broker listening", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        using var stopFleet = new CancellationTokenSource();
        var fleetOutput = new StringWriter();
        Task fleet = Task.CompletedTask;
        if (rate > 0)
        {
            var fleetOptions = new FleetOptions { Port = port, Gateway = "bench", Nodes = opt.Nodes, Rate = rate / opt.Nodes, InFlight = 16, Duration = TimeSpan.FromHours(1) };
            fleet = Task.Run(() => FleetCommand.RunAsync(fleetOptions, fleetOutput, stopFleet.Token));
        }
        // Warm-up: JIT, topic and sensor registration (catalog writes), the first segment pages; not measured.
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(opt.Warmup, 10)));
        long t0 = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long written0 = WriteBytes(gateway.Pid), log0 = SegmentBytes(logDir), device0 = DeviceBytesWritten(device);
        var watch = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(opt.Seconds));
        long written = WriteBytes(gateway.Pid) - written0, grown = SegmentBytes(logDir) - log0, deviceWritten = DeviceBytesWritten(device) - device0;
        long t1 = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        double seconds = watch.Elapsed.TotalSeconds;
        stopFleet.Cancel();
        await fleet;
        gateway.Terminate();
        int exit = await gateway.WaitForExit(TimeSpan.FromSeconds(60));
        if (exit != 0) throw new InvalidOperationException($"the gateway exited {exit}:\n{gateway.Output}");

        var (readings, payload) = Stored(logDir, t0, t1);
        string label = rate > 0 ? $"gateway defaults + {rate:0} readings/s ingest ({opt.Nodes} nodes, QoS 1, 16 in flight)" : "gateway defaults (simulated sensors)";
        string settings = opt.GatewayArgs.Length > 0 ? $"; gateway args {string.Join(' ', opt.GatewayArgs)}" : "";
        // On a loop device of its own the block layer's count is the whole truth, the ext4 journal included.
        string whole = device0 >= 0
            ? string.Create(CultureInfo.InvariantCulture, $"; {device} wrote {deviceWritten} B in all (journal included): {Ratio(deviceWritten, payload):F2} per payload byte, {Ratio(deviceWritten, readings):F0} B per reading")
            : "";
        string acked = rate > 0 ? $"; fleet {fleetOutput.ToString().Trim().Split('\n')[^1]}" : "";
        return new Result
        {
            name = "write-amplification", run = opt.Run, unit = "readings", ops = readings, records = readings, seconds = seconds,
            ops_per_s = readings / seconds, rec_per_s = readings / seconds, payload_bytes = payload, mb_per_s = payload / seconds / 1e6,
            disk_bytes = written, disk_mb_per_s = written / seconds / 1e6,
            durability = "each topic's flush policy (gateway/appsettings.json)",
            note = string.Create(CultureInfo.InvariantCulture,
                $"{label}: device bytes per payload byte {Ratio(written, payload):F2}, per log byte {Ratio(written, grown):F2}, per reading {Ratio(written, readings):F0} B; log grew {grown} B; write_bytes of the gateway process on {fsType} ({device}){whole}{settings}{acked}"),
        };
    }

    private static double Ratio(long a, long b) => b == 0 ? double.NaN : (double)a / b;

    // /proc/<pid>/io "write_bytes:" (proc(5)); needs the same user or CAP_SYS_PTRACE.
    private static long WriteBytes(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/io"))
            if (line.StartsWith("write_bytes:", StringComparison.Ordinal))
                return long.Parse(line["write_bytes:".Length..].Trim(), CultureInfo.InvariantCulture);
        throw new InvalidOperationException($"/proc/{pid}/io has no write_bytes (kernel without CONFIG_TASK_IO_ACCOUNTING?)");
    }

    // /sys/block/<dev>/stat field 7: sectors written, in 512-byte units whatever the device's sector size
    // (Documentation/block/stat.rst). Only for loop devices: a shared disk counts every other process too. -1 = n/a.
    private static long DeviceBytesWritten(string device)
    {
        if (!device.StartsWith("/dev/loop", StringComparison.Ordinal)) return -1;
        string stat = $"/sys/block/{Path.GetFileName(device)}/stat";
        if (!File.Exists(stat)) return -1;
        string[] f = File.ReadAllText(stat).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(f[6], CultureInfo.InvariantCulture) * 512;
    }

    private static long SegmentBytes(string logDir) =>
        Directory.Exists(Path.Combine(logDir, "topics"))
            ? Directory.EnumerateFiles(Path.Combine(logDir, "topics"), "*.log", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length)
            : 0;

    // The readings sampled or ingested in [t0, t1): those stored during the window in steady state (the few at each edge
    // that were stored just after it balance those stored just inside it from before).
    private static (long Readings, long PayloadBytes) Stored(string logDir, long t0, long t1)
    {
        using var log = EdgeLog.Open(new LogOptions { Directory = logDir, MaintenanceInterval = TimeSpan.FromHours(1) });
        var count = new CountingVisitor(t0, t1);
        foreach (var topic in log.UserTopics.Where(t => !t.Name.StartsWith("deadletter", StringComparison.Ordinal)))
            for (int p = 0; p < topic.Partitions; p++)
                if (log.OffsetForTimestamp(topic.Name, p, t0) is { } from)
                    log.Scan(topic.Name, p, from, long.MaxValue, count);
        return (count.Readings, count.PayloadBytes);
    }

    private static (string Type, string Device) FileSystemOf(string dir)
    {
        // mountinfo(5): "... mount-point ... - fstype source options"; the longest mount point containing dir wins.
        string full = Path.GetFullPath(dir);
        (string Mount, string Type, string Device) best = ("", "unknown", "unknown");
        foreach (string line in File.ReadLines("/proc/self/mountinfo"))
        {
            string[] f = line.Split(' ');
            int dash = Array.IndexOf(f, "-");
            if (dash < 0 || f.Length < dash + 3) continue;
            string mount = f[4].Replace("\\040", " ", StringComparison.Ordinal);
            bool contains = mount == "/" || full == mount || full.StartsWith(mount + "/", StringComparison.Ordinal);
            if (contains && mount.Length >= best.Mount.Length) best = (mount, f[dash + 1], f[dash + 2]);
        }
        return (best.Type, best.Device);
    }

    private sealed class CountingVisitor(long from, long to) : IRecordVisitor
    {
        public long Readings { get; private set; }

        public long PayloadBytes { get; private set; }

        public bool Visit(in RecordView record)
        {
            if (record.Timestamp >= from && record.Timestamp < to)
            {
                Readings++;
                PayloadBytes += record.Key.Length + record.Value.Length;
            }
            return true;
        }
    }
}
