using System.Diagnostics;
using Edge.Log;
using Edge.Readings;
using Edge.Uplink;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Benchmarks;

/// <summary>
/// backlog-rss: the uplink is down (Uplink:Host points at a closed loopback port, so it keeps retrying) while 10
/// sensors produce until --readings (default 10,000,000) are buffered in the log. The sensors run faster than 100 Hz
/// — as fast as the log takes them, ten producers appending in the gateway's batches of 1,000 — to reach the backlog
/// in minutes; what is measured is whether memory depends on the backlog. RSS is sampled every second; the line
/// gives peak_rss_mb and, in the note, RSS at 10%, 50% and 100% of the backlog.
/// </summary>
internal static class BacklogRss
{
    public static async Task<Result> RunAsync(BenchOptions opt)
    {
        long target = opt.Readings > 0 ? opt.Readings : 10_000_000;
        string dir = LogAppend.Fresh(opt.Dir, "backlog-rss");
        using var log = EdgeLog.Open(new LogOptions { Directory = dir, MaintenanceInterval = TimeSpan.FromHours(1) });
        log.CreateTopic(new TopicConfig("traffic") { Partitions = 4, Flush = new FlushPolicy(1000, TimeSpan.FromMilliseconds(5)), RetentionTime = null });
        var options = new UplinkOptions { Host = "127.0.0.1", Port = FreePort.Get(), Topics = ["traffic"], ReconnectMaxDelay = TimeSpan.FromSeconds(2) };
        await using var uplink = new Uplink.Uplink(log, options, "bench", TimeProvider.System, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var run = uplink.RunAsync(stop.Token);

        long appended = 0;
        var marks = new SortedDictionary<int, double>(); // percent of the backlog -> RSS MiB
        var samples = new List<double>();
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                double rss = BenchBroker.StatusMiB("VmRSS");
                lock (samples) samples.Add(rss);
                int percent = (int)(Interlocked.Read(ref appended) * 100 / target);
                foreach (int m in new[] { 10, 50 })
                    lock (marks) if (percent >= m) marks.TryAdd(m, rss);
            }
        });
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 10).Select(s => Task.Run(() => ProduceAsync(log, s, target / 10, () => Interlocked.Add(ref appended, 1000)))));
        double secs = sw.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        lock (marks) marks[100] = BenchBroker.StatusMiB("VmRSS");
        long sent = uplink.Counters.Sent;
        long disk = log.DiskBytes;
        stop.Cancel();
        await run;
        try { await sampler; } catch (OperationCanceledException) { }
        Directory.Delete(dir, true);
        double peak = Result.PeakRssMiB();
        return new Result
        {
            name = "backlog-rss", run = opt.Run, unit = "readings", ops = appended, records = appended, seconds = secs,
            ops_per_s = appended / secs, rec_per_s = appended / secs, disk_bytes = disk, disk_mb_per_s = disk / secs / 1e6,
            peak_rss_mb = peak, cpu_cores = cpu / secs,
            durability = "fdatasync per group commit (<=1000 rec or 5 ms); uplink disconnected",
            note = $"uplink down (closed port), 10 sensors appending as fast as the log takes them; rss_mb at 10%/50%/100% of {appended:N0} readings = "
                + string.Join(" / ", marks.OrderBy(m => m.Key).Select(m => $"{m.Value:F0}")) + $"; samples {samples.Count}, min {samples.DefaultIfEmpty(0).Min():F0} max {samples.DefaultIfEmpty(0).Max():F0} MiB; uplink read {sent} readings while down",
        };
    }

    // One sensor's path into the log as SensorPipelineService does it: batches of 1,000 appends awaited together.
    private static async Task ProduceAsync(EdgeLog log, int sensor, long count, Action batchDone)
    {
        byte[] key = System.Text.Encoding.UTF8.GetBytes(BenchReadings.Make(sensor, 0).SensorId);
        var batch = new List<Task<RecordPosition>>(1000);
        for (long n = 0; n < count; n += 1000)
        {
            for (long i = n; i < n + 1000 && i < count; i++)
            {
                var r = BenchReadings.Make(sensor, i);
                batch.Add(log.AppendAsync("traffic", new Record(key, ReadingBinaryCodec.Encode(r), r.Timestamp.ToUnixTimeMilliseconds())).AsTask());
            }
            await Task.WhenAll(batch).ConfigureAwait(false);
            batch.Clear();
            batchDone();
        }
    }
}
