using System.Text;
using Edge.Log;
using Edge.Readings;
using Edge.Uplink.Tests.TestKit;

namespace Edge.Uplink.Tests;

/// <summary>
/// Issue 12: "the alert topic is forwarded first while a backlog drains". The stream rules create their alert topic
/// with priority 100 (STREAMS.md §2.4), above every reading topic, and the uplink's gate serves waiting messages by
/// topic priority (UPLINK.md §6): an alert stored behind a backlog goes out next, not after it.
/// </summary>
public class AlertPriorityTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int BulkPartitions = 96;
    private const int PerPartition = 12;

    // As StreamsService creates it (src/Edge.Streams/Hosting/StreamsService.cs): priority 100, Block, no flush wait.
    private static TopicConfig AlertTopic() => new("alerts")
    {
        Priority = 100, Overflow = OverflowPolicy.Block, RetentionTime = TimeSpan.FromDays(30), Flush = new FlushPolicy(1000, TimeSpan.Zero, true, 0),
    };

    private static Task AppendAlertAsync(EdgeLog log, string key, DateTimeOffset at)
    {
        var alert = new Reading(key, "alert.spo2_low", at, [new("state", 1, "1"), new("episode_start", at.ToUnixTimeMilliseconds(), "ms"), new("spo2", 86, "%")],
            ReadingQuality.Ok, 1);
        return log.AppendAsync("alerts", new Edge.Log.Record(Encoding.UTF8.GetBytes($"spo2-low/{key}/{at.ToUnixTimeMilliseconds()}/raised"),
            ReadingBinaryCodec.Encode(alert), at.ToUnixTimeMilliseconds())).AsTask();
    }

    [Fact]
    public async Task Alerts_go_out_ahead_of_a_backlog_draining_after_an_outage()
    {
        using var dir = new TempDir();
        using var broker = new Mosquitto(Path.Combine(dir.Path, "broker"));
        // The cloud's subscriber has a persistent session: what the uplink publishes while it reconnects is queued for it,
        // in order, so the arrival order is the order the uplink sent.
        await using var cloud = await Subscriber.ConnectAsync(broker.Port);
        broker.Stop(); // the link is down

        // MaxInFlight 4 and a catch-up limit of 100 readings/s: the drain takes seconds and every bulk partition's
        // forwarder has a message waiting at the gate, which a first-come gate would serve before a later alert.
        await using var rig = new Rig(dir.Path, Rig.Options_(broker.Port, o => { o.MaxInFlight = 4; o.CatchUp.ReadingsPerSecond = 100; }));
        rig.Log.CreateTopic(new TopicConfig("bulk") { Partitions = BulkPartitions, Priority = 1, Flush = FlushPolicy.GroupCommit });
        rig.Log.CreateTopic(AlertTopic());
        var now = DateTimeOffset.UtcNow;
        var backlog = new List<Task>();
        for (int p = 0; p < BulkPartitions; p++)
        {
            for (int i = 0; i < PerPartition; i++)
            {
                var r = new Reading($"loop-{p}", ReadingKinds.TrafficOccupancy, now.AddSeconds(i), [new("occupancy", i, "%")], ReadingQuality.Simulated, i);
                backlog.Add(rig.Log.AppendAsync("bulk", new Edge.Log.Record(Encoding.UTF8.GetBytes(r.SensorId), ReadingBinaryCodec.Encode(r), r.Timestamp.ToUnixTimeMilliseconds()), partition: p).AsTask());
            }
        }
        await Task.WhenAll(backlog);
        // An alert raised during the outage, stored after the whole backlog.
        await AppendAlertAsync(rig.Log, "spo2-bed1", now.AddSeconds(30));
        rig.Start();
        broker.Start(); // the link comes back

        int total = BulkPartitions * PerPartition;
        static bool IsAlert(Received m) => m.Topic.StartsWith("edge/gw-test/alerts/", StringComparison.Ordinal);
        // A second alert while the backlog drains: stored once a tenth of it went out.
        await cloud.WaitWhileArriving(m => m.Count >= total / 10, TimeSpan.FromSeconds(30), "a tenth of the backlog");
        long sentBefore = rig.Uplink.Counters.Sent;
        await AppendAlertAsync(rig.Log, "spo2-bed2", now.AddSeconds(40));
        await cloud.WaitWhileArriving(m => m.Count(x => !IsAlert(x)) >= total && m.Count(IsAlert) >= 2, TimeSpan.FromSeconds(30), "the backlog and both alerts");

        var arrived = cloud.Messages;
        int bed1 = arrived.ToList().FindIndex(m => m.Topic == "edge/gw-test/alerts/spo2-bed1");
        int bed2 = arrived.ToList().FindIndex(m => m.Topic == "edge/gw-test/alerts/spo2-bed2");
        int lastBulk = arrived.ToList().FindLastIndex(m => !IsAlert(m));
        output.WriteLine($"{arrived.Count} messages; outage alert at {bed1}; mid-drain alert at {bed2}, stored after {sentBefore} sent; last backlog message at {lastBulk}");
        // The outage's alert is among the first messages after reconnecting, not behind the backlog stored before it:
        // at most the window and the forwarders that reached the gate before it (half the bulk partitions is the bound).
        Assert.True(bed1 >= 0 && bed1 < BulkPartitions / 2, $"the alert stored during the outage arrived as message {bed1} of {arrived.Count}");
        // The alert stored mid-drain goes out next: a first-come gate would have put it behind one waiting message of
        // every bulk partition (96), priority puts it behind at most the window and what was sent while it was read.
        Assert.True(bed2 - sentBefore < BulkPartitions / 4, $"the alert stored after {sentBefore} messages were sent arrived as message {bed2}");
        Assert.True(bed2 < lastBulk - total / 2, $"the mid-drain alert ({bed2}) arrived before the backlog drained ({lastBulk})");
    }
}
