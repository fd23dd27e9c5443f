using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Edge.Log;
using Edge.Readings;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Edge.Benchmarks;

/// <summary>
/// query-latency: with --readings (default 10 M) buffered from 40 sensors in a 4-partition topic, the round trip of
/// `latest` (10 readings) and of a 1,000-reading `range` from an MQTT 5 client over loopback to the gateway's
/// embedded broker, one request at a time. One JSON line per operation (name query-latest, query-range) with
/// p50_us / p99_us.
/// </summary>
internal static class QueryLatency
{
    internal const int Sensors = 40;
    internal static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<Result> RunAsync(BenchOptions opt)
    {
        long total = opt.Readings > 0 ? opt.Readings : 10_000_000;
        string dir = Path.Combine(opt.Dir, $"query-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            using var log = EdgeLog.Open(new LogOptions { Directory = dir, MaintenanceInterval = TimeSpan.FromHours(1) });
            log.CreateTopic(new TopicConfig("traffic") { Partitions = 4, RetentionTime = null, Flush = FlushPolicy.None, SegmentBytes = 64 << 20 });
            var fill = Stopwatch.StartNew();
            await FillAsync(log, total);
            Console.Error.WriteLine($"query-latency: {total:N0} readings buffered in {fill.Elapsed.TotalSeconds:F0} s, {log.DiskBytes / 1048576.0:F0} MiB");
            await using var rig = await LocalRigBench.StartAsync(log, "bench");
            for (int s = 0; s < Sensors; s++) await rig.Sensors.RegisterAsync(Sensor(s), ReadingKinds.TrafficOccupancy, "traffic", default);

            using var client = new MqttClientFactory().CreateMqttClient();
            var pending = new ConcurrentDictionary<Guid, TaskCompletionSource>();
            client.ApplicationMessageReceivedAsync += e =>
            {
                if (e.ApplicationMessage.CorrelationData is { Length: 16 } c && pending.TryRemove(new Guid(c), out var t)) t.TrySetResult();
                return Task.CompletedTask;
            };
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", rig.Port).WithProtocolVersion(MqttProtocolVersion.V500).Build());
            await client.SubscribeAsync("bench/replies", MqttQualityOfServiceLevel.AtLeastOnce);

            var random = new Random(42);
            long perSensor = total / Sensors;
            async Task<long> Ask(string json)
            {
                var id = Guid.NewGuid();
                var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                pending[id] = tcs;
                long start = Stopwatch.GetTimestamp();
                await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("edge/bench/query").WithPayload(json).WithResponseTopic("bench/replies")
                    .WithCorrelationData(id.ToByteArray()).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
                await tcs.Task.WaitAsync(TimeSpan.FromSeconds(30));
                return Stopwatch.GetTimestamp() - start;
            }
            string Latest() => $$"""{"op":"latest","sensor":"{{Sensor(random.Next(Sensors))}}","n":10}""";
            string Range()
            {
                // 1,000 consecutive readings of one sensor starting at a random point of its history.
                long first = random.NextInt64(0, Math.Max(1, perSensor - 1000));
                var from = T0.AddMilliseconds((first * Sensors) * 10);
                var to = T0.AddMilliseconds(((first + 999) * Sensors) * 10);
                return $$"""{"op":"range","sensor":"{{Sensor(random.Next(Sensors))}}","from":"{{from:O}}","to":"{{to:O}}","limit":1000}""";
            }

            var results = new List<Result>();
            foreach (var (name, make) in new (string, Func<string>)[] { ("query-latest", Latest), ("query-range", Range) })
            {
                var warm = Stopwatch.StartNew();
                while (warm.Elapsed.TotalSeconds < opt.Warmup) await Ask(make());
                var latencies = new List<long>();
                var watch = Stopwatch.StartNew();
                while (watch.Elapsed.TotalSeconds < opt.Seconds) latencies.Add(await Ask(make()));
                var r = new Result
                {
                    name = name, run = opt.Run, unit = "queries", ops = latencies.Count, records = latencies.Count, seconds = watch.Elapsed.TotalSeconds,
                    ops_per_s = latencies.Count / watch.Elapsed.TotalSeconds, rec_per_s = latencies.Count / watch.Elapsed.TotalSeconds,
                    p50_us = Result.Percentile(latencies, 50), p99_us = Result.Percentile(latencies, 99),
                    commit_p50_us = Result.Percentile(latencies, 50), commit_p99_us = Result.Percentile(latencies, 99), commit_max_us = Result.Percentile(latencies, 100),
                    disk_bytes = log.DiskBytes, peak_rss_mb = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0,
                    durability = "read", note = $"{total} readings buffered, 40 sensors in 4 partitions, MQTT 5 over loopback, sequential requests",
                };
                if (name == "query-latest") r.Write(opt.Out);
                results.Add(r);
            }
            return results[^1];
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

    internal static string Sensor(int i) => $"lane-{i:D2}";

    // Round-robin over the sensors, one reading every 10 ms overall, keyed by sensor like the gateway's pipeline.
    internal static async Task FillAsync(EdgeLog log, long total)
    {
        var keys = Enumerable.Range(0, Sensors).Select(s => Encoding.UTF8.GetBytes(Sensor(s))).ToArray();
        var batch = new List<Task<RecordPosition>>(10_000);
        for (long i = 0; i < total; i++)
        {
            int s = (int)(i % Sensors);
            var t = T0.AddMilliseconds(i * 10);
            var reading = new Reading(Sensor(s), ReadingKinds.TrafficOccupancy, t, [new ReadingValue("count", i % 7, "1"), new ReadingValue("occupancy", i % 100, "%")], ReadingQuality.Ok, i / Sensors);
            batch.Add(log.AppendAsync("traffic", new Record(keys[s], ReadingBinaryCodec.Encode(reading), t.ToUnixTimeMilliseconds())).AsTask());
            if (batch.Count == batch.Capacity)
            {
                await Task.WhenAll(batch);
                batch.Clear();
            }
        }
        await Task.WhenAll(batch);
        await log.FlushAsync();
    }
}
