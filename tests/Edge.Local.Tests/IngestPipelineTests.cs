using Edge.Local.Ingest;
using Edge.Local.Tests.TestKit;

namespace Edge.Local.Tests;

/// <summary>
/// Issue 11 item 2: one connection's QoS 1 readings are appended as they arrive, many in flight, and each PUBACK goes
/// out in arrival order once its reading is durable; what is pending is bounded per connection and in total.
/// The health topic's fdatasync is held (<see cref="HeldSyncFileSystem"/>) to see the broker between append and durability.
/// </summary>
public class IngestPipelineTests
{
    private const string Topic = "edge/gw1/ingest/node-7";

    [Fact]
    public async Task Readings_in_flight_on_one_connection_are_all_appended_before_the_first_PUBACK_which_come_in_order_once_durable()
    {
        var fs = new HeldSyncFileSystem("health");
        await using var rig = await LocalRig.StartAsync(fileSystem: fs);
        await using var node = await RawMqtt.ConnectAsync(rig.Port, "node", LocalRig.Password);
        await node.SendAsync(RawMqtt.Publish(1, Topic, Ingest.Valid("node-7", 0))); // registers the sensor
        Assert.Equal(1, await node.ReadPubAckAsync());

        fs.Gate.Reset(); // the disk stops acknowledging: nothing more becomes durable
        try
        {
            // Ten readings, then a PUBLISH MQTTnet answers itself (refused: a sensor may publish only to ingest), in one write.
            var packets = Enumerable.Range(1, 10).Select(i => RawMqtt.Publish((ushort)(i + 1), Topic, Ingest.Valid("node-7", i))).ToList();
            packets.Add(RawMqtt.Publish(12, "edge/gw1/elsewhere", "{}"u8.ToArray()));
            await node.SendAsync([.. packets]);
            await fs.SyncHeld.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await Wait.Until(() => rig.Api.Ingest.Pending == 10, TimeSpan.FromSeconds(20), "all ten readings are in the log, waiting for durability");
            Assert.Equal(0, node.Unread); // not one PUBACK before durability
        }
        finally
        {
            fs.Gate.Set();
        }
        var acks = new List<ushort>();
        for (int i = 0; i < 11; i++) acks.Add(await node.ReadPubAckAsync());
        Assert.Equal(Enumerable.Range(2, 11).Select(i => (ushort)i), acks); // arrival order, MQTTnet's own PUBACK last
        Assert.Equal(11, rig.Stored("health"));
    }

    [Fact]
    public async Task Over_the_pending_bounds_a_connection_is_back_pressured_not_disconnected_and_nothing_is_lost()
    {
        var fs = new HeldSyncFileSystem("health");
        await using var rig = await LocalRig.StartAsync(ingest: new IngestOptions { MaxPendingPerConnection = 4, MaxPending = 6 }, fileSystem: fs);
        await using var a = await RawMqtt.ConnectAsync(rig.Port, "node", LocalRig.Password);
        await using var b = await RawMqtt.ConnectAsync(rig.Port, "node", LocalRig.Password);
        await a.SendAsync(RawMqtt.Publish(1, "edge/gw1/ingest/node-a", Ingest.Valid("node-a", 0)));
        await b.SendAsync(RawMqtt.Publish(1, "edge/gw1/ingest/node-b", Ingest.Valid("node-b", 0)));
        Assert.Equal(1, await a.ReadPubAckAsync());
        Assert.Equal(1, await b.ReadPubAckAsync());

        fs.Gate.Reset();
        try
        {
            await a.SendAsync([.. Enumerable.Range(1, 8).Select(i => RawMqtt.Publish((ushort)(i + 1), "edge/gw1/ingest/node-a", Ingest.Valid("node-a", i)))]);
            await Wait.Until(() => rig.Api.Ingest.Pending == 4, TimeSpan.FromSeconds(20), "node-a has its four pending readings");
            await b.SendAsync([.. Enumerable.Range(1, 8).Select(i => RawMqtt.Publish((ushort)(i + 1), "edge/gw1/ingest/node-b", Ingest.Valid("node-b", i)))]);
            await Wait.Until(() => rig.Api.Ingest.Pending == 6, TimeSpan.FromSeconds(20), "the total bound of six is reached");
            await fs.SyncHeld.Task.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(6, rig.Api.Ingest.Pending); // 4 of a's (its own bound), 2 of b's (the total bound); the rest wait unread
            Assert.Equal(0, a.Unread + b.Unread);
        }
        finally
        {
            fs.Gate.Set();
        }
        foreach (var c in new[] { a, b })
        {
            var acks = new List<ushort>();
            for (int i = 0; i < 8; i++) acks.Add(await c.ReadPubAckAsync()); // still connected: every reading acknowledged, in order
            Assert.Equal(Enumerable.Range(2, 8).Select(i => (ushort)i), acks);
        }
        Assert.Equal(18, rig.Stored("health"));
    }

    [Fact]
    public async Task A_node_that_only_publishes_readings_is_not_dropped_by_the_keep_alive_check()
    {
        // Readings the gateway takes from MQTTnet's receive loop must still count as the client being alive.
        await using var rig = await LocalRig.StartAsync(ingest: new IngestOptions { ReadingsPerSecond = 1e6, Burst = 1_000_000 });
        await using var node = await RawMqtt.ConnectAsync(rig.Port, "node", LocalRig.Password, keepAliveSeconds: 1);
        // MQTT 5 §3.1.2.10: a client that keeps sending needs no PINGREQ; the broker allows 1.5 keep-alives between packets.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        ushort id = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(4))
        {
            await node.SendAsync(RawMqtt.Publish(++id, Topic, Ingest.Valid("node-7", id)));
            Assert.Equal(id, await node.ReadPubAckAsync());
        }
        Assert.Equal(id, rig.Stored("health"));
    }

    [Theory]
    [InlineData(0, 8192, "Ingest:MaxPendingPerConnection")]
    [InlineData(70_000, 100_000, "Ingest:MaxPendingPerConnection")]
    [InlineData(1024, 100, "Ingest:MaxPending")]
    public void Pending_bounds_out_of_range_fail_validation_naming_the_key(int perConnection, int total, string key)
    {
        var options = new IngestOptions { MaxPendingPerConnection = perConnection, MaxPending = total };
        var error = Assert.Single(options.Validate(["traffic", "health", "environment"]));
        Assert.StartsWith(key + ":", error, StringComparison.Ordinal);
    }
}
