using System.Diagnostics;
using Edge.Log;

namespace Edge.Benchmarks;

/// <summary>
/// log-read: appends 5 M durable 48-byte readings, then reads them sequentially with EdgeLog.Read (1 MiB per call)
/// from offset 0 to the high watermark, repeating for --seconds. Counts records decoded (key, value, timestamp).
/// The segments are in the page cache, as for a consumer catching up right behind the producer.
/// </summary>
internal static class LogRead
{
    private const long Records = 5_000_000;

    public static async Task<Result> RunAsync(BenchOptions opt)
    {
        var dir = LogAppend.Fresh(opt.Dir, "log-read");
        using var log = EdgeLog.Open(new LogOptions { Directory = dir, MaintenanceInterval = TimeSpan.FromHours(1) });
        log.CreateTopic(new TopicConfig("readings") { Flush = new FlushPolicy(32767, TimeSpan.Zero), RetentionTime = null });
        await Fill(log, Records);
        if (opt.Warmup > 0) Pass(log, opt.Warmup);
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var (n, secs) = Pass(log, opt.Seconds);
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        long disk = log.DiskBytes;
        log.Dispose();
        Directory.Delete(dir, true);
        return new Result
        {
            name = "log-read", run = opt.Run, ops = n, records = n, seconds = secs, ops_per_s = n / secs, rec_per_s = n / secs,
            payload_bytes = n * Workload.PayloadSize, mb_per_s = n * Workload.PayloadSize / secs / 1e6, disk_bytes = disk,
            peak_rss_mb = Result.PeakRssMiB(), cpu_cores = cpu / secs,
            durability = "reads durable records (page cache warm)",
            note = $"EdgeLog.Read 1 MiB per call over {Records:N0} records, CRC32C verified per batch",
        };
    }

    internal static async Task Fill(EdgeLog log, long count)
    {
        var values = new byte[65536][];
        for (int i = 0; i < values.Length; i++) values[i] = new byte[Workload.PayloadSize];
        var inFlight = new Queue<Task>();
        for (long n = 0; n < count;)
        {
            ValueTask<RecordPosition> last = default;
            for (int i = 0; i < 16384 && n < count; i++, n++)
            {
                var value = values[n % values.Length];
                Workload.Encode(value, n);
                last = log.AppendAsync("readings", new Record(Workload.SensorIds[n & (Workload.SensorCount - 1)], value, Workload.Timestamp(n)), 0);
            }
            inFlight.Enqueue(last.AsTask());
            if (inFlight.Count > 2) await inFlight.Dequeue();
        }
        while (inFlight.Count > 0) await inFlight.Dequeue();
    }

    private static (long N, double Seconds) Pass(EdgeLog log, double seconds)
    {
        var sw = Stopwatch.StartNew();
        long n = 0;
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            long offset = 0, hw = log.GetPartitionInfo("readings", 0).HighWatermark;
            while (offset < hw)
            {
                var r = log.Read("readings", 0, offset, 1 << 20);
                n += r.Records.Count;
                offset = r.NextOffset;
                if (sw.Elapsed.TotalSeconds >= seconds) break;
            }
        }
        return (n, sw.Elapsed.TotalSeconds);
    }
}
