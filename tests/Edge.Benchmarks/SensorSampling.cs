using System.Diagnostics;
using Edge.FirmwareSim.Cli.Synthetic;
using Edge.Readings;
using Edge.Sensors.Sampling;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Benchmarks;

/// <summary>
/// sensor-sampling: 10 simulated sensors sampled at 100 Hz each (1,000 readings/s) through the real SensorSampler on
/// one SamplingThread (as the gateway samples a board) on the system clock, with each reading encoded to its binary
/// log form by a consumer — everything the gateway does per reading before the log. Reports CPU seconds per second (cpu_cores) and CPU microseconds per reading
/// (commit_p50_us holds the mean, for the table), so the Pi's headroom can be read off.
/// </summary>
internal static class SensorSampling
{
    public static async Task<Result> RunAsync(BenchOptions opt)
    {
        const int sensors = 10;
        var interval = TimeSpan.FromMilliseconds(10);
        using var stop = new CancellationTokenSource();
        var samplers = Enumerable.Range(0, sensors).Select(i => new SensorSampler(new SyntheticSensor(i, 42, TimeProvider.System),
            new SamplerOptions { Interval = interval }, TimeProvider.System, NullLogger.Instance, simulated: true)).ToList();
        long encoded = 0, bytes = 0;
        // As the gateway samples a board: every sensor on one sampling thread.
        var thread = new SamplingThread(BoardSampler.SharedThreadName, TimeProvider.System, NullLogger.Instance);
        foreach (var s in samplers) thread.Add(s);
        var run = thread.RunAsync(stop.Token);
        var consumers = samplers.Select(s => Task.Run(async () =>
        {
            var buffer = new byte[256];
            await foreach (var r in s.Readings.ReadAllAsync())
            {
                int n = ReadingBinaryCodec.Encode(r, buffer);
                Interlocked.Add(ref bytes, n);
                Interlocked.Increment(ref encoded);
            }
        })).ToList();
        await Task.Delay(TimeSpan.FromSeconds(opt.Warmup)); // benchmark warm-up, not a test wait
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        long n0 = Interlocked.Read(ref encoded);
        var sw = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(opt.Seconds));
        double secs = sw.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        long n = Interlocked.Read(ref encoded) - n0;
        stop.Cancel();
        await run;
        await Task.WhenAll(consumers);
        return new Result
        {
            name = "sensor-sampling", run = opt.Run, unit = "readings", ops = n, records = n, seconds = secs, ops_per_s = n / secs,
            rec_per_s = n / secs, payload_bytes = Interlocked.Read(ref bytes), cpu_cores = cpu / secs,
            commit_p50_us = cpu / Math.Max(1, n) * 1e6, peak_rss_mb = Result.PeakRssMiB(),
            durability = "none (sampling and encoding only)",
            note = $"{sensors} simulated sensors x 100 Hz; commit_p50_us = mean CPU us per reading; CPU ms per 1,000 readings = {cpu / Math.Max(1, n) * 1e6:F1}",
        };
    }
}
