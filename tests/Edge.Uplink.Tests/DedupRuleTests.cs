using System.Text;
using Edge.Log;
using Edge.Uplink.Tests.TestKit;
using MQTTnet.Protocol;

namespace Edge.Uplink.Tests;

/// <summary>
/// The consumer rule of UPLINK.md §4 against every resend the uplink makes (issue 10, item 7). After a refusal, or a
/// PUBACK that never came, messages already in flight behind the failed one have reached the broker, so the resent
/// readings arrive after later ones. A consumer that follows the documented rule — applied in arrival order — must end
/// with every reading exactly once.
/// </summary>
public class DedupRuleTests
{
    [Theory]
    [InlineData(MqttPubAckReasonCode.QuotaExceeded)] // retried after RetryDelay
    [InlineData(MqttPubAckReasonCode.ImplementationSpecificError)] // the batch is split and sent again in halves
    public async Task A_consumer_following_the_documented_rule_stores_every_reading_exactly_once_when_the_broker_refuses_messages_with_later_ones_in_flight(MqttPubAckReasonCode reason)
    {
        using var dir = new TempDir();
        int traffic = KeyPartitioner.PartitionFor(Encoding.UTF8.GetBytes("mag-1"), 4);
        int health = KeyPartitioner.PartitionFor(Encoding.UTF8.GetBytes("spo2-1"), 2);
        await using var broker = new RefusingBroker([("traffic", traffic, 30), ("traffic", traffic, 155), ("traffic", traffic, 380), ("health", health, 12)], reason);
        await broker.StartAsync();
        await using var cloud = await Subscriber.ConnectAsync(broker.Port);
        await using var rig = new Rig(dir.Path, Rig.Options_(broker.Port, o => { o.Format = PayloadFormat.JsonBatch; o.BatchMaxReadings = 10; }));
        // A backlog: when a batch is refused, the ones behind it are already on the wire.
        await rig.AppendAsync("traffic", "mag-1", 400);
        await rig.AppendAsync("health", "spo2-1", 60);
        var expected = rig.Stored();
        rig.Start();

        await cloud.WaitFor(m => Delivery.AllArrived(expected, m), TimeSpan.FromSeconds(60), "every reading");
        await rig.StopAsync();
        Assert.Equal(4, broker.Refused);

        AssertExactlyOnce(expected, DedupConsumer.Store(cloud.Messages));
        // The scenario does reorder first arrivals: the high-water-mark rule UPLINK.md gave before loses readings here.
        Assert.True(DedupConsumer.StoreByHighWaterMark(cloud.Messages).Count < expected.Count, "no resent range arrived after a later message");
    }

    [Fact]
    public async Task A_consumer_following_the_documented_rule_stores_every_reading_exactly_once_when_a_real_broker_refuses_oversized_batches_and_the_link_drops_mid_window()
    {
        using var dir = new TempDir();
        // Mosquitto refuses a PUBLISH over message_size_limit (0x95) and closes the connection: a 40-reading JSON batch
        // is ~2.5 KB, so the uplink must split them; the proxy cuts the link three times after 8 KB from the uplink, in
        // the middle of a window of batches.
        using var mosquitto = new Mosquitto(Path.Combine(dir.Path, "broker"), "message_size_limit 1200");
        await using var proxy = new CuttingProxy(mosquitto.Port, cuts: 3, cutAfterBytes: 8 * 1024);
        await using var cloud = await Subscriber.ConnectAsync(mosquitto.Port);
        await using var rig = new Rig(dir.Path, Rig.Options_(proxy.Port, o => { o.Format = PayloadFormat.JsonBatch; o.BatchMaxReadings = 40; }));
        await rig.AppendAsync("traffic", "mag-1", 600);
        await rig.AppendAsync("traffic", "loop-7", 300);
        await rig.AppendAsync("health", "spo2-1", 150);
        var expected = rig.Stored();
        rig.Start();

        await cloud.WaitWhileArriving(m => Delivery.AllArrived(expected, m), TimeSpan.FromSeconds(60), "every reading");
        await rig.StopAsync();
        Assert.Equal(3, proxy.Cuts);
        Assert.True(rig.Uplink.Counters.Refusals.GetValueOrDefault("PacketTooLarge") > 0, "no batch was refused as too large");

        AssertExactlyOnce(expected, DedupConsumer.Store(cloud.Messages));
    }

    [Fact]
    public async Task A_consumer_following_the_documented_rule_stores_every_reading_exactly_once_when_messages_are_lost_on_the_way_to_a_real_broker()
    {
        using var dir = new TempDir();
        // The proxy drops the 5th and 30th PUBLISH of the first two connections: Mosquitto acknowledges the messages
        // behind them, the uplink gives the connection up after AckTimeout (1 s) and resends from the lost one.
        using var mosquitto = new Mosquitto(Path.Combine(dir.Path, "broker"));
        await using var proxy = new PublishDroppingProxy(mosquitto.Port, connections: 2, 5, 30);
        await using var cloud = await Subscriber.ConnectAsync(mosquitto.Port);
        await using var rig = new Rig(dir.Path, Rig.Options_(proxy.Port, o => { o.Format = PayloadFormat.JsonBatch; o.BatchMaxReadings = 10; o.AckTimeout = TimeSpan.FromSeconds(1); }));
        await rig.AppendAsync("traffic", "mag-1", 500);
        await rig.AppendAsync("health", "spo2-1", 100);
        var expected = rig.Stored();
        rig.Start();

        await cloud.WaitWhileArriving(m => Delivery.AllArrived(expected, m), TimeSpan.FromSeconds(60), "every reading");
        await rig.StopAsync();
        Assert.Equal(4, proxy.Dropped);
        Assert.True(rig.Uplink.Counters.AckTimeouts >= 1, "the lost messages were never noticed");

        AssertExactlyOnce(expected, DedupConsumer.Store(cloud.Messages));
        Assert.True(DedupConsumer.StoreByHighWaterMark(cloud.Messages).Count < expected.Count, "no resent range arrived after a later message");
    }

    // Every stored reading once, none twice, each the right one (in these logs a sensor's seq is its offset: one
    // sensor per partition, or checked by sensor below).
    private static void AssertExactlyOnce(IReadOnlyList<(string Topic, int Partition, long Offset)> expected, IReadOnlyList<StoredReading> stored)
    {
        var identities = stored.Select(r => (r.Topic, r.Partition, r.Offset)).ToList();
        Assert.Equal(identities.Count, identities.Distinct().Count());
        var missing = expected.Except(identities).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} readings lost, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.Equal(expected.Count, stored.Count);
        foreach (var sensor in stored.GroupBy(r => r.Sensor))
            Assert.Equal(Enumerable.Range(0, sensor.Count()).Select(i => (long)i), sensor.Select(r => r.Seq).Order());
    }
}
