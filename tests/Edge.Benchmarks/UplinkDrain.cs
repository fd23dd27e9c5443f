using System.Diagnostics;
using Edge.Log;
using Edge.Uplink;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Benchmarks;

/// <summary>
/// uplink-drain: a log holding --readings buffered readings (default 200,000; 10 sensors over 4 partitions) is drained
/// by the real uplink to Mosquitto on loopback — QoS 1, every message acknowledged and every offset committed — once
/// per payload format, each on a fresh log, after --warmup seconds of 20,000-reading drains. Timed from the uplink's start to the last partition's commit reaching its
/// end (connect included). One line per format: uplink-drain-json, uplink-drain-json-batch, uplink-drain-binary-batch.
/// Compare with the anchors' mqtt-qos1-inflight100-48B (one reading per message) and -inflight100-batch100 rows.
/// </summary>
internal static class UplinkDrain
{
    public static async Task<List<Result>> RunAsync(BenchOptions opt)
    {
        long readings = opt.Readings > 0 ? opt.Readings : 200_000;
        using var broker = BenchBroker.Start(opt.Broker);
        var results = new List<Result>();
        foreach (var (format, name) in new[] { (PayloadFormat.Json, "json"), (PayloadFormat.JsonBatch, "json-batch"), (PayloadFormat.BinaryBatch, "binary-batch"), (PayloadFormat.RecordsBatch, "records-batch") })
        {
            if (opt.Formats.Length > 0 && !opt.Formats.Contains(name)) continue;
            // JIT and broker warm-up for --warmup seconds, as the other scenarios and the anchors do: one 20,000-reading
            // drain took ~50 ms of a batched format, and tiered compilation was still rewriting the hot path in the measured run.
            var warm = Stopwatch.StartNew();
            while (opt.Warmup > 0 && warm.Elapsed.TotalSeconds < opt.Warmup) await DrainAsync(opt, broker, format, Math.Min(readings, 20_000));
            var (r, secs, bytes, messages, cpu, brokerCpu, phases) = await DrainAsync(opt, broker, format, readings);
            results.Add(new Result
            {
                name = $"uplink-drain-{name}", run = opt.Run, unit = "readings", ops = messages, records = r, seconds = secs,
                ops_per_s = messages / secs, rec_per_s = r / secs, payload_bytes = bytes, mb_per_s = bytes / secs / 1e6,
                commits = messages, peak_rss_mb = Result.PeakRssMiB(), cpu_cores = cpu / secs,
                broker_rss_mb = broker.Pid > 0 ? BenchBroker.StatusMiB("VmRSS", broker.Pid) : double.NaN,
                broker_peak_rss_mb = broker.Pid > 0 ? BenchBroker.StatusMiB("VmHWM", broker.Pid) : double.NaN,
                broker_cpu_cores = brokerCpu / secs,
                durability = "PUBACK (QoS 1) + offset committed",
                note = $"Edge.Uplink {format}, 100 in flight, MQTT 5 with idempotency user properties; {r:N0} readings over 4 partitions; ops = messages; MB/s = stored reading bytes; {phases}",
            });
        }
        return results;
    }

    private static async Task<(long Readings, double Seconds, long Bytes, long Messages, double Cpu, double BrokerCpu, string Phases)> DrainAsync(BenchOptions opt, BenchBroker broker, PayloadFormat format, long readings)
    {
        string dir = LogAppend.Fresh(opt.Dir, "uplink-drain");
        long bytes;
        using var log = EdgeLog.Open(new LogOptions { Directory = dir, MaintenanceInterval = TimeSpan.FromHours(1) });
        log.CreateTopic(new TopicConfig("traffic") { Partitions = 4, Flush = new FlushPolicy(32767, TimeSpan.Zero), RetentionTime = null });
        bytes = await BenchReadings.FillAsync(log, "traffic", readings);
        var options = new UplinkOptions { Host = broker.Host, Port = broker.Port, Format = format, Topics = ["traffic"], ClientId = $"bench-{Environment.ProcessId}" };
        await using var uplink = new Uplink.Uplink(log, options, "bench", TimeProvider.System, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        double b0 = BenchBroker.CpuSeconds(broker.Pid);
        var sw = Stopwatch.StartNew();
        var run = uplink.RunAsync(stop.Token);
        var group = log.Group(Uplink.Uplink.GroupId);
        double firstAck = double.NaN, allAcked = double.NaN;
        while (Enumerable.Range(0, 4).Any(p => (group.CommittedOffset("traffic", p) ?? 0) < log.GetPartitionInfo("traffic", p).HighWatermark))
        {
            // Where the time goes: until the first PUBACK (connect), until the last one, and the durable commit after it.
            if (double.IsNaN(firstAck) && uplink.Counters.Messages > 0) firstAck = sw.Elapsed.TotalSeconds;
            if (double.IsNaN(allAcked) && uplink.Counters.Readings >= readings) allAcked = sw.Elapsed.TotalSeconds;
            if (run.IsCompleted) await run; // surfaces a failure instead of spinning
            await Task.Delay(2); // polling the committed offsets; the benchmark's resolution is 2 ms over seconds
        }
        double secs = sw.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        double brokerCpu = BenchBroker.CpuSeconds(broker.Pid) - b0;
        long messages = uplink.Counters.Messages;
        stop.Cancel();
        await run;
        string phases = FormattableString.Invariant($"first PUBACK at {firstAck * 1000:F0} ms, last at {allAcked * 1000:F0} ms, offsets durable at {secs * 1000:F0} ms (2 ms polling)");
        return (uplink.Counters.Readings, secs, bytes, messages, cpu, brokerCpu, phases);
    }
}
