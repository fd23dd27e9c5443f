using System.Diagnostics;
using Edge.Log;

namespace Edge.Benchmarks;

/// <summary>
/// log-append: one producer appends 48-byte readings through EdgeLog.AppendAsync with durable group commit of at most
/// 1,000 records or 5 ms per fdatasync (the anchors' policy). The producer keeps at most two groups unacknowledged
/// (it awaits group N-2's last append before starting group N+1), so fsyncs overlap appends but memory stays flat.
/// Only acknowledged (durable) records are counted. Commit latency = last append of a group to its durable ack.
/// </summary>
internal static class LogAppend
{
    public const int GroupRecords = 1000;

    public static async Task<Result> RunAsync(BenchOptions opt)
    {
        if (opt.Warmup > 0) await MeasureAsync(Fresh(opt.Dir, "log-append-warmup"), opt.Warmup);
        var dir = Fresh(opt.Dir, "log-append");
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var (n, secs, disk, lat) = await MeasureAsync(dir, opt.Seconds);
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        Directory.Delete(dir, true);
        return new Result
        {
            name = "log-append", run = opt.Run, ops = n, records = n, seconds = secs, ops_per_s = n / secs, rec_per_s = n / secs,
            payload_bytes = n * Workload.PayloadSize, mb_per_s = n * Workload.PayloadSize / secs / 1e6,
            disk_bytes = disk, disk_mb_per_s = disk / secs / 1e6, commits = lat.Count,
            commit_p50_us = Result.Percentile(lat, 50), commit_p99_us = Result.Percentile(lat, 99), commit_max_us = Result.Percentile(lat, 100),
            peak_rss_mb = Result.PeakRssMiB(), cpu_cores = cpu / secs,
            durability = "fdatasync per group commit (<=1000 rec or 5 ms)",
            note = "Edge.Log public AppendAsync, 1 partition, key = sensor id, 48-byte value; 2 groups in flight",
        };
    }

    internal static string Fresh(string root, string name)
    {
        var dir = Path.Combine(root, name);
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static async Task<(long N, double Seconds, long Disk, List<long> Latencies)> MeasureAsync(string dir, double seconds)
    {
        using var log = EdgeLog.Open(new LogOptions { Directory = dir, MaintenanceInterval = TimeSpan.FromHours(1) });
        log.CreateTopic(new TopicConfig("readings") { Flush = new FlushPolicy(GroupRecords, TimeSpan.FromMilliseconds(5)), RetentionTime = null });
        var latencies = new List<long>();
        var inFlight = new Queue<Task>();
        // Values must stay unchanged until acknowledged: a ring of buffers larger than what can be in flight.
        const int ring = GroupRecords * 4;
        var values = new byte[ring][];
        for (int i = 0; i < ring; i++) values[i] = new byte[Workload.PayloadSize];
        long end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var start = Stopwatch.GetTimestamp();
        long n = 0;
        while (Stopwatch.GetTimestamp() < end)
        {
            ValueTask<RecordPosition> last = default;
            for (int i = 0; i < GroupRecords; i++, n++)
            {
                var value = values[n % ring];
                Workload.Encode(value, n);
                last = log.AppendAsync("readings", new Record(Workload.SensorIds[n & (Workload.SensorCount - 1)], value, Workload.Timestamp(n)), 0);
            }
            long closed = Stopwatch.GetTimestamp();
            inFlight.Enqueue(last.AsTask().ContinueWith(_ =>
            {
                long t = Stopwatch.GetTimestamp() - closed;
                lock (latencies) latencies.Add(t);
            }, TaskContinuationOptions.ExecuteSynchronously));
            if (inFlight.Count > 2) await inFlight.Dequeue();
        }
        while (inFlight.Count > 0) await inFlight.Dequeue();
        double secs = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return (n, secs, log.DiskBytes, latencies);
    }
}
