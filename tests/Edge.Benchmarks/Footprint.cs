using System.Diagnostics;
using System.Text.Json;
using Edge.FirmwareSim.Board;
using Edge.FirmwareSim.Devices.Hcsr04;

namespace Edge.Benchmarks;

/// <summary>
/// footprint: the Release gateway (edge-gateway.dll built beside this benchmark) as a child process, buffer-only (no
/// uplink configured) and with nobody connected to its local broker, for --seconds (default 60) after --warmup
/// seconds (default 15: start-up and tiered JIT settle). CPU in cores from /proc/&lt;pid&gt;/stat utime + stime over the
/// window; RSS (VmRSS at the end, VmHWM). Two cases: <c>footprint-idle</c>, every sensor of appsettings.json disabled,
/// and <c>footprint-defaults</c>, the shipped simulated sensors. The simulator's own CPU is the time of its named
/// threads (prefix "sim-": <see cref="GpioSignalPump.ThreadName"/>, the HC-SR04 model's <see cref="UltrasonicEcho.ThreadName"/>): the rows <c>footprint-defaults-gateway</c>
/// (process minus those threads) and <c>footprint-defaults-sim</c>. Register models run inside the drivers' bus calls
/// on the gateway's sampler threads, so their (small) cost stays in the gateway's share. --env K=V,... is passed to
/// the child over the systemd unit's runtime environment (<see cref="DeployedEnvironment"/>), for runtime experiments.
/// </summary>
internal static class Footprint
{
    private const string SimPrefix = "sim-";

    public static async Task<List<Result>> RunAsync(BenchOptions opt)
    {
        double seconds = opt.Seconds == BenchOptions.DefaultSeconds ? 60 : opt.Seconds;
        double warmup = opt.Warmup == BenchOptions.DefaultWarmup ? 15 : opt.Warmup;
        var sensors = SensorIds(GatewayProgram.AppSettings(opt));
        var results = new List<Result>();
        foreach (var (name, disabled) in new[] { ("idle", sensors), ("defaults", Array.Empty<string>()) })
        {
            if (opt.Cases.Length > 0 && !opt.Cases.Contains(name)) continue;
            results.AddRange(await MeasureAsync(opt, name, disabled, seconds, warmup));
        }
        return results;
    }

    private static async Task<List<Result>> MeasureAsync(BenchOptions opt, string name, string[] disabled, double seconds, double warmup)
    {
        string dir = LogAppend.Fresh(opt.Dir, $"footprint-{name}");
        var start = GatewayProgram.StartInfo(opt);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.ArgumentList.Add($"--Log:Directory={dir}");
        start.ArgumentList.Add($"--Broker:Port={FreePort.Get()}");
        foreach (string id in disabled) start.ArgumentList.Add($"--Sensors:{id}:Enabled=false");
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        DeployedEnvironment.Apply(start, opt.Env);
        using var child = Process.Start(start)!;
        // Drained and dropped: a full pipe would block the gateway's console logger.
        child.OutputDataReceived += (_, _) => { };
        child.ErrorDataReceived += (_, _) => { };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(warmup)); // a benchmark's settle time, not a test's wait
            if (child.HasExited) throw new InvalidOperationException($"the gateway exited with {child.ExitCode} during warm-up");
            long logBytes0 = DirBytes(dir);
            var before = ThreadCpu.Read(child.Id);
            var sw = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            var after = ThreadCpu.Read(child.Id);
            double secs = sw.Elapsed.TotalSeconds;
            double rss = BenchBroker.StatusMiB("VmRSS", child.Id), hwm = BenchBroker.StatusMiB("VmHWM", child.Id);
            long logBytes = DirBytes(dir) - logBytes0;
            double total = (after.Total - before.Total) / ThreadCpu.TicksPerSecond / secs;
            double sim = after.Since(before, SimPrefix) / ThreadCpu.TicksPerSecond / secs;
            string env = "; env " + string.Join(' ', DeployedEnvironment.Read().Keys.Union(opt.Env.Keys).Select(k => $"{k}={start.Environment[k]}"));
            // Where the time went, per thread name (% of one core): what wakes, and how much.
            string threads = string.Join(", ", after.ByName(before).Take(8).Select(t => FormattableString.Invariant($"{t.Name} {t.Ticks / ThreadCpu.TicksPerSecond / secs * 100:F2} %")));
            string note = FormattableString.Invariant($"{GatewayProgram.Describe(opt)}, buffer-only, nobody connected, {(disabled.Length > 0 ? $"all {disabled.Length} sensors disabled" : "default simulated sensors")}; {seconds:F0} s after {warmup:F0} s warm-up; process {total * 100:F2} % of one core, simulator threads ({SimPrefix}*) {sim * 100:F2} %, gateway {(total - sim) * 100:F2} %; RSS {rss:F1} MiB (peak {hwm:F1}); log grew {logBytes:N0} B; threads: {threads}{env}");
            Result Row(string suffix, double cores, string what) => new()
            {
                name = $"footprint-{name}{suffix}", run = opt.Run, unit = "seconds", seconds = secs, cpu_cores = cores,
                peak_rss_mb = hwm, disk_bytes = logBytes, durability = what, note = note,
            };
            var rows = new List<Result> { Row("", total, "whole gateway process") };
            if (disabled.Length == 0)
            {
                rows.Add(Row("-gateway", total - sim, "gateway share (process minus simulator threads)"));
                rows.Add(Row("-sim", sim, "firmware-sim's own threads"));
            }
            return rows;
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync();
        }
    }

    private static string[] SensorIds(string appsettings)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(appsettings));
        return [.. doc.RootElement.GetProperty("Sensors").EnumerateObject().Select(p => p.Name)];
    }

    private static long DirBytes(string dir) => new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
