using System.Diagnostics;
using System.Text.Json.Nodes;
using Edge.FirmwareSim.Cli;
using Edge.Log;

namespace Edge.Benchmarks;

/// <summary>
/// ingest: firmware-sim's fleet mode (--nodes remote nodes, QoS 1, 16 in flight each, as fast as PUBACKs return)
/// against the gateway's embedded broker and ingest over a log with the gateway's default topics and flush policies.
/// A PUBACK means the reading is durable, so acked readings/s is the sustained durable ingest rate. Compare with the
/// anchors' MQTTnet→Mosquitto rows, where a PUBACK means only "the broker has it in memory".
/// </summary>
internal static class IngestBench
{
    /// <summary>
    /// A log with the gateway's default topics (gateway/appsettings.json): each lingers for company up to 30 s / 10 s /
    /// 60 s or a 4 KiB group (FORMAT.md §6.2); ingested readings wait at most 5 ms (IngestService).
    /// </summary>
    public static EdgeLog OpenWithDefaultTopics(string dir)
    {
        var log = EdgeLog.Open(new LogOptions { Directory = dir, MaintenanceInterval = TimeSpan.FromHours(1) });
        log.CreateTopic(new TopicConfig("traffic") { Partitions = 4, Flush = new FlushPolicy(1000, TimeSpan.FromSeconds(30), FillBytes: 4096) });
        log.CreateTopic(new TopicConfig("health") { Partitions = 2, Flush = new FlushPolicy(32767, TimeSpan.FromSeconds(10), FillBytes: 4096) });
        log.CreateTopic(new TopicConfig("environment") { Partitions = 1, Flush = new FlushPolicy(1000, TimeSpan.FromSeconds(60), FillBytes: 4096) });
        return log;
    }

    public static async Task<Result> RunAsync(BenchOptions opt)
    {
        string dir = Path.Combine(opt.Dir, $"ingest-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            using var log = OpenWithDefaultTopics(dir);
            await using var rig = await LocalRigBench.StartAsync(log, "bench");
            var output = new StringWriter();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var fleet = new FleetOptions { Port = rig.Port, Gateway = "bench", Nodes = opt.Nodes, Rate = 100_000, InFlight = 16, Duration = TimeSpan.FromSeconds(opt.Seconds) };
            await FleetCommand.RunAsync(fleet, output, CancellationToken.None);
            double seconds = watch.Elapsed.TotalSeconds;
            double cores = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / seconds;
            var summary = JsonNode.Parse(output.ToString().Trim().Split('\n')[^1])!;
            long acked = summary["acked"]!.GetValue<long>();
            long stored = log.UserTopics.Sum(t => Enumerable.Range(0, t.Partitions).Sum(p => log.GetPartitionInfo(t.Name, p).HighWatermark));
            return new Result
            {
                name = "ingest", run = opt.Run, unit = "readings", ops = acked, records = acked, seconds = seconds,
                ops_per_s = acked / seconds, rec_per_s = acked / seconds, disk_bytes = log.DiskBytes, disk_mb_per_s = log.DiskBytes / seconds / 1e6,
                cpu_cores = cores, peak_rss_mb = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, durability = "fdatasync before PUBACK",
                note = $"{opt.Nodes} fleet nodes, QoS 1, 16 in flight each, JSON readings; stored {stored} (>= acked), refused {summary["refused"]}, errors {summary["errors"]}; fleet and gateway in one process",
            };
        }
        finally
        {
            try
            {
                Directory.Delete(dir, true);
            }
            catch (IOException)
            {
            }
        }
    }
}
