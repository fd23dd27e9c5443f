using System.Text;
using System.Text.Json.Nodes;
using Edge.Local.Broker;
using Edge.Local.Ingest;
using Edge.Local.Query;
using Edge.Local.Status;
using Edge.Local.Tests.TestKit;
using Edge.Log;
using Edge.Readings;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Local.Tests;

/// <summary>Broker:Mode Client: the same topics served on a Mosquitto already on the device.</summary>
public class ClientModeTests
{
    [Fact]
    public async Task Stream_rule_alerts_are_published_retained_on_the_existing_Mosquitto()
    {
        await using var rig = new ClientModeRig(new FixedRulesView("alerts", new RuleSnapshot("spo2-low", "threshold", "spo2 < 90 for 30s", 0, 0, [])));
        var t0 = new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);
        long start = t0.AddSeconds(-30).ToUnixTimeMilliseconds();
        await using var c = await Client.ConnectAsync(rig.Mosquitto.Port);
        var states = new System.Collections.Concurrent.ConcurrentQueue<string>();
        c.MessageReceived += m => { if (m.Topic == "edge/gw1/alerts/spo2-low/spo2-bed1") states.Enqueue(JsonNode.Parse(m.ConvertPayloadToString())!["state"]!.GetValue<string>()); };
        await c.SubscribeAsync("edge/gw1/alerts/#");
        await StoredAlerts.AppendAsync(rig.Log, "spo2-low", "spo2-bed1", raised: true, t0, start, episode: 1);
        await StoredAlerts.AppendAsync(rig.Log, "spo2-low", "spo2-bed1", raised: false, t0.AddSeconds(40), start, episode: 1);
        await Edge.TestKit.Wait.Until(() => states.Contains("cleared"), TimeSpan.FromSeconds(20), "the cleared event arrived through Mosquitto");
        Assert.Equal("raised", states.First());

        // Mosquitto keeps the newest retained event of the key: a later subscriber gets "cleared".
        await using var late = await Client.ConnectAsync(rig.Mosquitto.Port);
        var retained = new TaskCompletionSource<MqttApplicationMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        late.MessageReceived += m => { if (m.Topic == "edge/gw1/alerts/spo2-low/spo2-bed1") retained.TrySetResult(m); };
        await late.SubscribeAsync("edge/gw1/alerts/+/+");
        var m = await retained.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(m.Retain);
        Assert.Equal("cleared", JsonNode.Parse(m.ConvertPayloadToString())!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Queries_ingest_and_the_retained_status_work_through_an_existing_Mosquitto()
    {
        await using var rig = new ClientModeRig();
        var (mosquitto, log, api) = (rig.Mosquitto, rig.Log, rig.Api);
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
        await rig.StopBridgeAsync();
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
