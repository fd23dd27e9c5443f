using System.Diagnostics;
using Edge.Log;
using Edge.Readings;
using Edge.Uplink;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Benchmarks;

/// <summary>
/// e2e-latency: 10 sensors at 100 Hz (1,000 readings/s) appended to the log as the gateway does (one append each,
/// the traffic topic's group commit of 1,000 records or 5 ms), forwarded by the uplink as one JSON reading per
/// message to Mosquitto on loopback. Latency per reading = its PUBACK arriving at the uplink minus the reading's
/// timestamp (taken at "sensor read"), so it includes the durable append, the uplink's wait for data, encoding and
/// the broker round trip. commit_p50_us / commit_p99_us hold p50 / p99.
/// </summary>
internal static class E2eLatency
{
    public static async Task<Result> RunAsync(BenchOptions opt)
    {
        using var broker = BenchBroker.Start(opt.Broker);
        string dir = LogAppend.Fresh(opt.Dir, "e2e-latency");
        using var log = EdgeLog.Open(new LogOptions { Directory = dir, MaintenanceInterval = TimeSpan.FromHours(1) });
        log.CreateTopic(new TopicConfig("traffic") { Partitions = 4, Flush = new FlushPolicy(1000, TimeSpan.FromMilliseconds(5)), RetentionTime = null });
        var options = new UplinkOptions { Host = broker.Host, Port = broker.Port, Topics = ["traffic"], ClientId = $"bench-lat-{Environment.ProcessId}" };
        await using var uplink = new Uplink.Uplink(log, options, "bench", TimeProvider.System, NullLoggerFactory.Instance);
        var acks = new List<(int Partition, long Offset, long AckedTicks)>();
        bool measuring = false;
        uplink.Counters.AckObserver = m =>
        {
            long now = DateTimeOffset.UtcNow.UtcTicks;
            if (Volatile.Read(ref measuring)) lock (acks) acks.Add((m.Key.Partition, m.First, now));
        };
        using var stop = new CancellationTokenSource();
        var run = uplink.RunAsync(stop.Token);
        using var produce = new CancellationTokenSource();
        var sensors = Enumerable.Range(0, 10).Select(s => Task.Run(() => SensorAsync(log, s, produce.Token))).ToList();
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(1, opt.Warmup))); // warm-up: connect, JIT
        Volatile.Write(ref measuring, true);
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(opt.Seconds));
        Volatile.Write(ref measuring, false);
        double secs = sw.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        produce.Cancel();
        await Task.WhenAll(sensors);
        stop.Cancel();
        await run;

        // Reading timestamps (100 ns) from the log, after the run, so the probe costs nothing on the ack path.
        var latencies = new List<long>(acks.Count);
        foreach (var (partition, offset, acked) in acks)
        {
            var record = log.Read("traffic", partition, offset, 4096).Records[0];
            long micros = (acked - ReadingBinaryCodec.Decode(record.Value!.Value.Span).Timestamp.UtcTicks) / 10;
            latencies.Add(micros * Stopwatch.Frequency / 1_000_000); // Result.Percentile takes Stopwatch ticks
        }
        Directory.Delete(dir, true);
        return new Result
        {
            name = "e2e-latency", run = opt.Run, unit = "readings", ops = latencies.Count, records = latencies.Count, seconds = secs,
            ops_per_s = latencies.Count / secs, rec_per_s = latencies.Count / secs, commits = latencies.Count,
            commit_p50_us = Result.Percentile(latencies, 50), commit_p99_us = Result.Percentile(latencies, 99),
            p50_us = Result.Percentile(latencies, 50), p99_us = Result.Percentile(latencies, 99), commit_max_us = Result.Percentile(latencies, 100),
            peak_rss_mb = Result.PeakRssMiB(), cpu_cores = cpu / secs,
            durability = "fdatasync group commit (1000 rec / 5 ms), then PUBACK (QoS 1)",
            note = "sensor read (Reading timestamp) -> durable append -> uplink Json -> PUBACK; 10 sensors x 100 Hz; latency columns = per reading",
        };
    }

    private static async Task SensorAsync(EdgeLog log, int sensor, CancellationToken stop)
    {
        byte[] key = System.Text.Encoding.UTF8.GetBytes(BenchReadings.Make(sensor, 0).SensorId);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        long n = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var r = BenchReadings.Make(sensor, n++, DateTimeOffset.UtcNow);
                _ = log.AppendAsync("traffic", new Record(key, ReadingBinaryCodec.Encode(r), r.Timestamp.ToUnixTimeMilliseconds()), cancellationToken: stop).AsTask();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
