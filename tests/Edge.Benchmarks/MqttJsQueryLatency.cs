using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Log;
using Edge.Readings;

namespace Edge.Benchmarks;

/// <summary>
/// mqttjs-query-latency: request/response round trips from an independent client — mqtt.js with its default options
/// (Nagle's algorithm on), MQTT 5, one long-lived connection, a QoS 1 reply subscription, QoS 1 requests one at a time —
/// to the gateway's embedded broker over --readings (default 1 M) buffered readings of 40 sensors: `latest` (10
/// readings) and a 1,000-reading `range`. Anchor in the same run: the same client through Mosquitto to an echo
/// responder (mqtt.js too) that replies with as many bytes as the gateway's reply had. One line per operation and
/// broker, p50_us / p99_us.
/// </summary>
internal static class MqttJsQueryLatency
{
    public static async Task<List<Result>> RunAsync(BenchOptions opt)
    {
        MqttJs.EnsureInstalled();
        long total = opt.Readings > 0 ? opt.Readings : 1_000_000;
        string dir = Path.Combine(opt.Dir, $"mqttjs-query-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        var results = new List<Result>();
        try
        {
            var edge = new Dictionary<string, JsonNode>();
            using (var log = EdgeLog.Open(new LogOptions { Directory = dir, MaintenanceInterval = TimeSpan.FromHours(1) }))
            {
                log.CreateTopic(new TopicConfig("traffic") { Partitions = 4, RetentionTime = null, Flush = FlushPolicy.None, SegmentBytes = 64 << 20 });
                await QueryLatency.FillAsync(log, total);
                await using var rig = await LocalRigBench.StartAsync(log, "bench");
                for (int s = 0; s < QueryLatency.Sensors; s++) await rig.Sensors.RegisterAsync(QueryLatency.Sensor(s), ReadingKinds.TrafficOccupancy, "traffic", default);
                foreach (string op in new[] { "latest", "range" })
                    edge[op] = await MqttJs.RunAsync(Args(rig.Port, op, total, opt, pad: null));
            }
            using var mosquitto = BenchBroker.Start(opt.Broker);
            var (responder, _) = MqttJs.Start("responder", "--port", $"{mosquitto.Port}", "--topic", "edge/bench/query");
            try
            {
                foreach (string op in new[] { "latest", "range" })
                {
                    var anchor = await MqttJs.RunAsync(Args(mosquitto.Port, op, total, opt, pad: edge[op]["reply_bytes"]!.GetValue<int>()));
                    results.Add(Row(opt, $"mqttjs-query-{op}", edge[op], $"gateway embedded broker over {total} readings, 40 sensors in 4 partitions"));
                    results.Add(Row(opt, $"mqttjs-query-{op}-mosquitto", anchor, "Mosquitto (anchors' settings) + mqtt.js echo responder replying with as many bytes"));
                }
            }
            finally
            {
                MqttJs.Stop(responder);
            }
            return results;
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

    private static string[] Args(int port, string op, long total, BenchOptions opt, int? pad)
    {
        string[] args = ["latency", "--port", $"{port}", "--topic", "edge/bench/query", "--op", op, "--sensors", $"{QueryLatency.Sensors}",
            "--per-sensor", $"{total / QueryLatency.Sensors}", "--t0", QueryLatency.T0.ToString("O", CultureInfo.InvariantCulture),
            "--seconds", opt.Seconds.ToString(CultureInfo.InvariantCulture), "--warmup", opt.Warmup.ToString(CultureInfo.InvariantCulture)];
        return pad is { } p ? [.. args, "--pad", $"{p}"] : args;
    }

    private static Result Row(BenchOptions opt, string name, JsonNode r, string note)
    {
        long count = r["count"]!.GetValue<long>();
        double seconds = r["seconds"]!.GetValue<double>();
        return new Result
        {
            name = name, run = opt.Run, unit = "queries", ops = count, records = count, seconds = seconds, ops_per_s = count / seconds, rec_per_s = count / seconds,
            p50_us = r["p50_us"]!.GetValue<double>(), p99_us = r["p99_us"]!.GetValue<double>(), commit_max_us = r["max_us"]!.GetValue<double>(),
            payload_bytes = r["reply_bytes"]!.GetValue<long>(), peak_rss_mb = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, durability = "read",
            note = $"mqtt.js 5.16 defaults (Nagle on), MQTT 5, QoS 1 requests and reply subscription, one connection, serial; {note}",
        };
    }
}
