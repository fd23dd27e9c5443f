using System.Diagnostics;
using Edge.Gateway.Tests.TestKit;
using Edge.Log;

namespace Edge.Gateway.Tests;

/// <summary>
/// The real gateway process (simulated sensors, default appsettings) forwarding to a real Mosquitto: what a cloud
/// subscriber receives, across SIGKILL crashes, and how it stops when the broker is gone.
/// </summary>
public class UplinkEndToEndTests
{
    // ~240 readings/s: two GPIO loops sampled at 100 Hz and the oximeter at 50 Hz, beside the default lane magnetometer.
    private static readonly string[] Load =
    [
        "--Hardware:Mode=simulated", "--Gateway:StatusInterval=00:00:01",
        "--Sensors:loop-lane1:Interval=00:00:00.010", "--Sensors:spo2-bed1:Interval=00:00:00.020",
        "--Sensors:loop-lane2:Type=loop", "--Sensors:loop-lane2:Pins:Input=22", "--Sensors:loop-lane2:Interval=00:00:00.010",
    ];

    // The final run of the crash test only drains: no sensor appends, so "lag 0" means everything is acknowledged.
    private static readonly string[] NoSensors =
    [
        "--Hardware:Mode=simulated", "--Gateway:StatusInterval=00:00:01",
        .. DefaultSensors().Select(id => $"--Sensors:{id}:Enabled=false"),
    ];

    // Every sensor the shipped appsettings.json declares (copied beside the gateway's dll in the test output).
    internal static IEnumerable<string> DefaultSensors() =>
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json")))!["Sensors"]!.AsObject().Select(p => p.Key).ToList();

    [Fact]
    public async Task Simulated_sensor_readings_reach_a_subscriber_in_order_per_partition_with_every_offset_up_to_the_committed_point()
    {
        using var dir = new TempDir();
        using var broker = new Mosquitto(Path.Combine(dir.Path, "broker"));
        await using var cloud = await Subscriber.ConnectAsync(broker.Port);
        string logDir = Path.Combine(dir.Path, "log");
        using (var gateway = new GatewayProcess(logDir, [.. Load, .. Upstream(broker.Port)]))
        {
            await gateway.WaitForLine(l => l.Contains($"uplink connected to mqtt://127.0.0.1:{broker.Port}", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            await cloud.WaitFor(m => m.Count(x => x.LogTopic == "traffic") >= 300 && m.Any(x => x.LogTopic == "health"), TimeSpan.FromSeconds(60), "traffic and health readings");
            gateway.Terminate();
            Assert.Equal(0, await gateway.WaitForExit(TimeSpan.FromSeconds(30)));
        }

        var committed = CommittedOffsets(logDir);
        Assert.True(committed["traffic"].Sum() >= 300, "the uplink committed what was acknowledged");
        var expected = Expected(committed);
        // Committed means the broker acknowledged it; the broker may still be delivering it to the subscriber.
        await cloud.WaitWhileArriving(m => Delivery.AllArrived(expected, m), TimeSpan.FromSeconds(30), "every committed reading");
        var (unique, duplicates) = Delivery.AssertComplete(expected, cloud.Messages);
        Assert.Equal(0, duplicates); // no crash, no outage
        AssertContentIsTheLogs(logDir, cloud.Messages);
        var first = cloud.Messages[0];
        Assert.Matches(@"^edge/edge-dev/(traffic|health)/(mag-lane1|loop-lane[12]|spo2-bed1)$", first.Topic);
        Assert.Equal(first.Key, first.KeyProperty);
    }

    [Fact]
    public async Task Killed_with_SIGKILL_at_random_moments_under_load_and_restarted_the_gateway_delivers_every_offset_of_every_partition()
    {
        using var dir = new TempDir();
        using var broker = new Mosquitto(Path.Combine(dir.Path, "broker"));
        await using var cloud = await Subscriber.ConnectAsync(broker.Port);
        string logDir = Path.Combine(dir.Path, "log");
        var random = new Random(20261125); // seeded: the same kill points (in messages received) on every run
        const int crashes = 6;
        var warnings = new List<string>(); // what the gateways said about refusals and parking, for a failure message
        var beforeKills = new List<Received>(); // what the cloud held when each gateway was killed
        for (int i = 0; i < crashes; i++)
        {
            using var gateway = new GatewayProcess(logDir, [.. Load, .. Upstream(broker.Port)]);
            await gateway.WaitForLine(l => l.Contains("uplink connected to", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            // Kill while readings are being appended, published and committed: after a random number of arrivals.
            int target = cloud.Messages.Count + random.Next(50, 500);
            await cloud.WaitFor(m => m.Count >= target, TimeSpan.FromSeconds(60), $"{target} messages before crash {i + 1}");
            beforeKills = [.. cloud.Messages]; // received before the kill: the log must still hold exactly this at those offsets
            gateway.Crash();
            warnings.AddRange(gateway.Output.Split('\n').Where(l => l.Contains("park", StringComparison.OrdinalIgnoreCase) || l.Contains("refus", StringComparison.OrdinalIgnoreCase)));
        }

        using (var gateway = new GatewayProcess(logDir, [.. NoSensors, .. Upstream(broker.Port)]))
        {
            await gateway.WaitForLine(l => l.Contains("uplink connected to", StringComparison.Ordinal) && l.Contains(", lag 0,", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            gateway.Terminate();
            Assert.Equal(0, await gateway.WaitForExit(TimeSpan.FromSeconds(30)));
        }

        var ends = EndOffsets(logDir);
        Assert.Equal(ends, CommittedOffsets(logDir)); // drained: committed up to the end of every partition
        long total = ends.Values.Sum(p => p.Sum());
        Assert.True(total > 500, $"only {total} readings were produced");
        try
        {
            await cloud.WaitWhileArriving(m => Delivery.AllArrived(Expected(ends), m), TimeSpan.FromSeconds(30), "every reading");
        }
        catch (TimeoutException e)
        {
            try
            {
                Delivery.AssertComplete(Expected(ends), cloud.Messages); // names what is missing
            }
            catch (Exception missing)
            {
                throw new TimeoutException($"{e.Message}\n{missing.Message}\ngateways said:\n{string.Join('\n', warnings)}", missing);
            }
            throw;
        }
        var (unique, duplicates) = Delivery.AssertComplete(Expected(ends), cloud.Messages);
        Assert.Equal(total, unique);
        _ = duplicates; // resends after a crash are allowed, and identical by key (checked above)
        // The truth above is the log as recovered after the crashes. What the cloud received before each kill must be
        // what the log holds at those offsets: a recovery that reused an offset for another reading fails here.
        Assert.True(beforeKills.Count >= 50 * crashes, $"only {beforeKills.Count} messages before the last kill");
        AssertContentIsTheLogs(logDir, beforeKills);
        AssertContentIsTheLogs(logDir, cloud.Messages);
    }

    [Fact]
    public async Task SIGTERM_with_the_broker_unreachable_exits_0_well_within_the_shutdown_timeout()
    {
        using var dir = new TempDir();
        int closed = FreePort.Get(); // nothing listens: every connection attempt is refused
        using var gateway = new GatewayProcess(Path.Combine(dir.Path, "log"), [.. Load, .. Upstream(closed)]);
        await gateway.WaitForLine(l => l.Contains("(attempt 2)", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        await gateway.WaitForLine(l => l.Contains("readings/s durable", StringComparison.Ordinal) && !l.Contains(" 0 total", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        gateway.Terminate();
        Assert.Equal(0, await gateway.WaitForExit(TimeSpan.FromSeconds(30)));
        // HostOptions.ShutdownTimeout is 15 s (gateway/Program.cs); the uplink must not be what uses it up.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed.TotalSeconds:F1} s to stop");
    }

    /// <summary>Every reading the cloud received equals the one the log stores at its offset (sensor, time, sequence, values, quality).</summary>
    private static void AssertContentIsTheLogs(string logDir, IReadOnlyList<Received> messages)
    {
        using var log = EdgeLog.Open(new LogOptions { Directory = logDir });
        int compared = Content.AssertMatchesLog(messages, Content.Stored(log), "edge-dev");
        Assert.True(compared >= messages.Count, $"{compared} readings compared in {messages.Count} messages");
    }

    private static string[] Upstream(int port) => ["--Uplink:Host=127.0.0.1", $"--Uplink:Port={port}", "--Uplink:ReconnectMinDelay=00:00:00.100", "--Uplink:ReconnectMaxDelay=00:00:00.500"];

    private static Dictionary<string, long[]> CommittedOffsets(string logDir) => ReadLog(logDir, (log, t, p) => log.Group("uplink").CommittedOffset(t, p) ?? 0);

    private static Dictionary<string, long[]> EndOffsets(string logDir) => ReadLog(logDir, (log, t, p) => log.GetPartitionInfo(t, p).HighWatermark);

    private static Dictionary<string, long[]> ReadLog(string logDir, Func<EdgeLog, string, int, long> offset)
    {
        using var log = EdgeLog.Open(new LogOptions { Directory = logDir });
        return log.UserTopics.Where(t => t.Name != "deadletter").ToDictionary(t => t.Name, t => Enumerable.Range(0, t.Partitions).Select(p => offset(log, t.Name, p)).ToArray());
    }

    private static List<(string Topic, int Partition, long Offset)> Expected(Dictionary<string, long[]> upTo) =>
        [.. upTo.SelectMany(t => t.Value.SelectMany((end, p) => Enumerable.Range(0, (int)end).Select(o => (t.Key, p, (long)o))))];
}
