using System.Diagnostics;
using System.Globalization;
using Edge.Log;

namespace Edge.Benchmarks;

/// <summary>
/// mqttjs-ingest: durable ingest through the embedded broker from an independent client — mqtt.js, default options,
/// MQTT 3.1.1, QoS 1, 1,000 readings in flight per connection, 8 sensors per connection, documented JSON health
/// readings — over 1 and 8 connections, against the same client publishing the same messages to a plain Mosquitto
/// (in memory, no subscriber: its PUBACK means only "received") in the same run. A gateway PUBACK means "durable in
/// the log" (fdatasync), so acked readings/s is the sustained durable rate. One line per broker and connection count;
/// the gateway's lines carry ratio = gateway / Mosquitto in their note.
/// </summary>
internal static class MqttJsIngest
{
    public static async Task<List<Result>> RunAsync(BenchOptions opt)
    {
        MqttJs.EnsureInstalled();
        using var mosquitto = BenchBroker.Start(opt.Broker);
        var results = new List<Result>();
        foreach (int connections in new[] { 1, 8 })
        {
            var (edge, stored) = await EdgeAsync(opt, connections);
            var anchor = await MqttJs.RunAsync(Args(mosquitto.Port, connections, opt));
            double ratio = edge["per_s"]!.GetValue<double>() / anchor["per_s"]!.GetValue<double>();
            results.Add(Row(opt, $"mqttjs-ingest-c{connections}", edge, "fdatasync before PUBACK",
                $"gateway embedded broker, stored {stored} (>= acked); {Ratio(ratio)} x Mosquitto in this run"));
            results.Add(Row(opt, $"mqttjs-ingest-c{connections}-mosquitto", anchor, "memory (PUBACK on receipt)", "plain Mosquitto, no subscriber"));
        }
        return results;
    }

    private static string Ratio(double r) => r.ToString("F2", CultureInfo.InvariantCulture);

    private static string[] Args(int port, int connections, BenchOptions opt) =>
        ["ingest", "--port", $"{port}", "--prefix", "edge/bench/ingest/", "--connections", $"{connections}", "--inflight", "1000",
            "--seconds", opt.Seconds.ToString(CultureInfo.InvariantCulture), "--warmup", opt.Warmup.ToString(CultureInfo.InvariantCulture)];

    private static async Task<(System.Text.Json.Nodes.JsonNode Result, long Stored)> EdgeAsync(BenchOptions opt, int connections)
    {
        string dir = Path.Combine(opt.Dir, $"mqttjs-ingest-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            using var log = IngestBench.OpenWithDefaultTopics(dir); // health holds the readings
            // Anonymous loopback clients share one rate allowance: LocalRigBench lifts Ingest:ReadingsPerSecond and Ingest:Burst.
            await using var rig = await LocalRigBench.StartAsync(log, "bench");
            var result = await MqttJs.RunAsync(Args(rig.Port, connections, opt));
            long stored = Enumerable.Range(0, 2).Sum(p => log.GetPartitionInfo("health", p).HighWatermark);
            return (result, stored);
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

    private static Result Row(BenchOptions opt, string name, System.Text.Json.Nodes.JsonNode r, string durability, string note)
    {
        long acked = r["acked"]!.GetValue<long>();
        double seconds = r["seconds"]!.GetValue<double>();
        return new Result
        {
            name = name, run = opt.Run, unit = "readings", ops = acked, records = acked, seconds = seconds, ops_per_s = acked / seconds, rec_per_s = acked / seconds,
            peak_rss_mb = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, durability = durability,
            note = $"mqtt.js 5.16 defaults (Nagle on), MQTT 3.1.1, QoS 1, {r["connections"]} connection(s) x 1000 in flight, errors {r["errors"]}; {note}",
        };
    }
}
