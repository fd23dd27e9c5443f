using System.Text;
using System.Text.Json.Nodes;
using Edge.Local.Broker;
using Edge.Local.Ingest;
using Edge.Local.Query;
using Edge.Local.Tests.TestKit;
using Edge.Log;
using Edge.Readings;
using Edge.Uplink.Tests.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Local.Tests;

/// <summary>Broker:Mode Client: the same topics served on a Mosquitto already on the device.</summary>
public class ClientModeTests
{
    [Fact]
    public async Task Queries_ingest_and_the_retained_status_work_through_an_existing_Mosquitto()
    {
        using var dir = new Edge.Local.Tests.TestKit.TempDir();
        using var mosquitto = new Mosquitto(Path.Combine(dir.Path, "broker"));
        using var log = EdgeLog.Open(new LogOptions { Directory = Path.Combine(dir.Path, "log"), MaintenanceInterval = TimeSpan.FromHours(1) });
        log.CreateTopic(new TopicConfig("health") { Partitions = 2, RetentionTime = null });
        var api = LocalApi.Create(log, new FakeView(), new QueryOptions(), new IngestOptions(), TimeProvider.System);
        var options = new BrokerOptions { Mode = BrokerMode.Client, External = { Host = "127.0.0.1", Port = mosquitto.Port }, StatusInterval = TimeSpan.FromSeconds(1) };
        var bridge = new ExternalBrokerBridge(options, api, NullLogger.Instance);
        bridge.Start();
        await using (bridge)
        {
            await using var c = await Client.ConnectAsync(mosquitto.Port);

            // The retained status shows up once the bridge is connected: from then on its subscriptions exist.
            var status = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
            c.MessageReceived += m => { if (m.Topic == "edge/gw1/status") status.TrySetResult(JsonNode.Parse(m.ConvertPayloadToString())!); };
            await c.SubscribeAsync("edge/gw1/status");
            Assert.True((await status.Task.WaitAsync(TimeSpan.FromSeconds(20)))["online"]!.GetValue<bool>());

            // Ingest through Mosquitto: stored once acknowledged by the bridge.
            for (int i = 0; i < 5; i++) await c.PublishAsync("edge/gw1/ingest/node-3", Ingest.Valid("node-3", i));
            await c.PublishAsync("edge/gw1/ingest/node-3", Encoding.UTF8.GetBytes("not a reading"));
            var reply = await WaitForAsync(() => c.QueryAsync("gw1", JsonNode.Parse("""{"op":"latest","sensor":"node-3","n":10}""")!.AsObject()),
                r => r["ok"]!.GetValue<bool>() && r["count"]!.GetValue<int>() == 5);
            Assert.Equal(Enumerable.Range(0, 5).Select(i => (long)i), reply["readings"]!.AsArray().Select(r => r!["reading"]!["seq"]!.GetValue<long>()));
            Assert.Equal(5, Enumerable.Range(0, 2).Sum(p => log.GetPartitionInfo("health", p).HighWatermark)); // the malformed one was not stored

            // A 1,000-reading page (~200 KB) leaves as several 64 KiB chunks (ReplyChunks) and arrives whole through Mosquitto.
            await api.Sensors.RegisterAsync("bulk-1", ReadingKinds.HeartRate, "health", default);
            var t0 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
            await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => log.AppendAsync("health", new Edge.Log.Record(Encoding.UTF8.GetBytes("bulk-1"),
                ReadingBinaryCodec.Encode(new Reading("bulk-1", ReadingKinds.HeartRate, t0.AddSeconds(i), [new ReadingValue("bpm", 60 + i % 40, "bpm")], ReadingQuality.Ok, i)),
                t0.AddSeconds(i).ToUnixTimeMilliseconds())).AsTask()));
            var page = await c.QueryAsync("gw1", JsonNode.Parse("""{"op":"range","sensor":"bulk-1","limit":1000}""")!.AsObject());
            Assert.True(page["ok"]!.GetValue<bool>(), page.ToJsonString()[..Math.Min(500, page.ToJsonString().Length)]);
            Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), page["readings"]!.AsArray().Select(r => r!["reading"]!["seq"]!.GetValue<long>()));
            Assert.True(Encoding.UTF8.GetByteCount(page.ToJsonString()) > 2 * ReplyChunks.ChunkBytes);
        }

        // Stopping says offline in the retained status.
        await using var late = await Client.ConnectAsync(mosquitto.Port);
        var final = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        late.MessageReceived += m => { if (m.Topic == "edge/gw1/status") final.TrySetResult(JsonNode.Parse(m.ConvertPayloadToString())!); };
        await late.SubscribeAsync("edge/gw1/status");
        Assert.False((await final.Task.WaitAsync(TimeSpan.FromSeconds(10)))["online"]!.GetValue<bool>());
    }

    // Ingest is acknowledged to the node by Mosquitto, not by us: poll the query until the bridge has stored them.
    private static async Task<JsonNode> WaitForAsync(Func<Task<JsonNode>> query, Func<JsonNode, bool> done)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var r = await query();
            if (done(r)) return r;
            cts.Token.ThrowIfCancellationRequested();
        }
    }
}
