using System.Text;
using Edge.Gateway.Tests.TestKit;
using Edge.Log;
using Edge.Readings;

namespace Edge.Gateway.Tests;

/// <summary>
/// Stream rules exactly once across crashes (src/Edge.Streams/STREAMS.md §6): the real gateway, replaying a backlog of
/// readings through the shipped rules, killed with SIGKILL at random moments and restarted, ends with the same alert
/// events — by idempotency key — as a run that was never interrupted, each written to the alert topic once.
/// </summary>
public class StreamsCrashTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 6, 0, 0, TimeSpan.Zero);

    // No live sensors (the backlog is the input), no idle watermark (a day: the test's own clock must not move time),
    // checkpoints often, so kills land between and during them.
    private static string[] Args() =>
    [
        "--Hardware:Mode=simulated", "--Gateway:StatusInterval=00:00:01", "--Streams:IdleTimeout=1.00:00:00", "--Streams:CheckpointEvery=2000",
        .. UplinkEndToEndTests.DefaultSensors().Select(id => $"--Sensors:{id}:Enabled=false"),
    ];

    /// <summary>
    /// Four simulated hours: two beds whose SpO2 dips under 90 % for 3 of every 10 minutes (spo2-low raised and cleared
    /// each time), a thermometer that goes quiet for 5 minutes every hour (sensor-silent), a lane congested for 5 of
    /// every 30 minutes (lane-congestion), and 30 quiet oximeters for bulk — about 500,000 readings.
    /// </summary>
    private static void WriteBacklog(string logDir)
    {
        using var log = EdgeLog.Open(new LogOptions { Directory = logDir });
        log.CreateTopic(new TopicConfig("health") { Partitions = 2 });
        log.CreateTopic(new TopicConfig("traffic") { Partitions = 4 });
        var appends = new List<Task>();
        void Add(string topic, string sensor, string kind, DateTimeOffset at, params (string, double)[] values)
        {
            var r = new Reading(sensor, kind, at, values.Select(v => new ReadingValue(v.Item1, v.Item2, "")).ToArray(), ReadingQuality.Simulated);
            appends.Add(log.AppendAsync(topic, new Edge.Log.Record(Encoding.UTF8.GetBytes(sensor), ReadingBinaryCodec.Encode(r), at.ToUnixTimeMilliseconds())).AsTask());
        }
        for (int s = 0; s < 4 * 3600; s++)
        {
            var at = Start.AddSeconds(s);
            Add("health", "spo2-bed1", ReadingKinds.SpO2, at, ("spo2", s % 600 < 180 ? 86 : 97), ("bpm", 70));
            Add("health", "spo2-bed2", ReadingKinds.SpO2, at.AddMilliseconds(500), ("spo2", (s + 300) % 600 < 180 ? 87 : 96), ("bpm", 72));
            for (int i = 0; i < 30; i++) Add("health", $"spo2-quiet{i}", ReadingKinds.SpO2, at.AddMilliseconds(10 * i), ("spo2", 97), ("bpm", 65));
            if (s % 10 == 0)
            {
                if (s % 3600 < 3300) Add("health", "temp-bed1", ReadingKinds.BodyTemperature, at, ("body", 36.8));
                Add("traffic", "loop-lane1", ReadingKinds.TrafficOccupancy, at, ("occupancy", s % 1800 < 300 ? 60 : 10));
            }
            if (appends.Count > 20_000)
            {
                Task.WaitAll([.. appends]);
                appends.Clear();
            }
        }
        Task.WaitAll([.. appends]);
    }

    private static List<string> AlertKeys(string logDir)
    {
        using var log = EdgeLog.Open(new LogOptions { Directory = logDir });
        var keys = new List<string>();
        var info = log.GetPartitionInfo("alerts", 0);
        for (long o = info.LogStartOffset; o < info.HighWatermark;)
        {
            var r = log.Read("alerts", 0, o);
            foreach (var rec in r.Records)
            {
                var reading = ReadingBinaryCodec.Decode(rec.Value!.Value.Span);
                Assert.StartsWith("alert.", reading.Kind, StringComparison.Ordinal);
                keys.Add(Encoding.UTF8.GetString(rec.Key!.Value.Span));
            }
            o = r.NextOffset;
        }
        return keys;
    }

    private static async Task RunToTheEnd(string logDir)
    {
        using var gateway = new GatewayProcess(logDir, Args());
        await gateway.WaitForLine(l => l.Contains("stream rules: caught up", StringComparison.Ordinal), TimeSpan.FromMinutes(3));
        gateway.Terminate();
        Assert.Equal(0, await gateway.WaitForExit(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Killed_with_SIGKILL_at_random_moments_the_gateway_writes_every_alert_of_an_uninterrupted_run_exactly_once()
    {
        using var dir = new TempDir();
        string reference = Path.Combine(dir.Path, "reference"), crashed = Path.Combine(dir.Path, "crashed");
        WriteBacklog(reference);
        WriteBacklog(crashed);

        await RunToTheEnd(reference);
        var expected = AlertKeys(reference);
        Assert.Equal(expected.Count, expected.Distinct().Count());
        Assert.True(expected.Count(k => k.StartsWith("spo2-low/", StringComparison.Ordinal)) >= 2 * 2 * 23, string.Join("\n", expected));
        Assert.Contains(expected, k => k.StartsWith("sensor-silent/temp-bed1/", StringComparison.Ordinal));
        Assert.Contains(expected, k => k.StartsWith("lane-congestion/lane1/", StringComparison.Ordinal));

        var random = new Random(20261207); // seeded: the same kill points (in alerts logged) on every run
        for (int crash = 0; crash < 5; crash++)
        {
            using var gateway = new GatewayProcess(crashed, Args());
            int target = random.Next(1, 30), seen = 0;
            // Kill after a random number of alerts written (or once caught up, should the alerts run out first).
            await gateway.WaitForLine(l => l.Contains("stream rules: caught up", StringComparison.Ordinal)
                || (l.Contains("alert raised", StringComparison.Ordinal) || l.Contains("alert cleared", StringComparison.Ordinal)) && ++seen >= target, TimeSpan.FromMinutes(3));
            gateway.Crash();
        }
        await RunToTheEnd(crashed);
        var got = AlertKeys(crashed);
        Assert.Equal(got.Count, got.Distinct().Count()); // none written twice, even before dedup
        Assert.Equal(expected.Order(StringComparer.Ordinal), got.Order(StringComparer.Ordinal)); // none missing
    }
}
