using System.Text.Json.Nodes;
using Edge.Local.Tests.TestKit;
using Edge.Readings;
using MQTTnet;

namespace Edge.Local.Tests;

public class LiveAndStatusTests
{
    [Fact]
    public async Task Live_readings_flow_only_while_someone_subscribes()
    {
        await using var rig = await LocalRig.StartAsync();
        Assert.False(rig.Api.Live.HasSubscribers);
        await rig.Log.AppendAsync("health", ReadingRecord.From(Ingest.Reading("hr-1", 0)));
        Assert.False(rig.Api.Live.IsTailing); // nobody watching: the log is not even followed

        await using var dash = await Client.ConnectAsync(rig.Port, user: "viewer", password: LocalRig.Password);
        var got = new TaskCompletionSource<MqttApplicationMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        dash.MessageReceived += m => { if (m.Topic.StartsWith("edge/gw1/live/", StringComparison.Ordinal)) got.TrySetResult(m); };
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await dash.SubscribeAsync("edge/gw1/live/health/+"));
        Assert.True(rig.Api.Live.HasSubscribers);
        Assert.True(rig.Api.Live.IsTailing);

        // Live is from now on: reading 0, stored before anyone watched, is not replayed; the first message is reading 1.
        await rig.Log.AppendAsync("health", ReadingRecord.From(Ingest.Reading("hr-1", 1)));
        var m = await got.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("edge/gw1/live/health/hr-1", m.Topic);
        Assert.Equal(Ingest.Reading("hr-1", 1), ReadingJsonCodec.Decode(m.ConvertPayloadToString()));

        await dash.Mqtt.UnsubscribeAsync("edge/gw1/live/health/+");
        Assert.False(rig.Api.Live.HasSubscribers);
        Assert.False(rig.Api.Live.IsTailing);
    }

    [Fact]
    public async Task The_live_feed_delivers_what_any_producer_stores_without_the_producer_knowing_the_feed()
    {
        // Two producers that know only the log: a plain append (as the gateway's sensor pipeline does) and ingest.
        await using var rig = await LocalRig.StartAsync();
        await using var dash = await Client.ConnectAsync(rig.Port, user: "viewer", password: LocalRig.Password);
        var got = new Dictionary<string, TaskCompletionSource<string>>
        {
            ["edge/gw1/live/traffic/mag-1"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            ["edge/gw1/live/health/node-7"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        dash.MessageReceived += m => { if (got.TryGetValue(m.Topic, out var tcs)) tcs.TrySetResult(m.ConvertPayloadToString()); };
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await dash.SubscribeAsync("edge/gw1/live/#"));

        var vehicle = Ingest.Reading("mag-1", 3, ReadingKinds.TrafficVehicle);
        await rig.Log.AppendAsync("traffic", ReadingRecord.From(vehicle));
        Assert.True((await rig.Api.Ingest.IngestAsync("node", "node-7", Ingest.Valid("node-7", 4), CancellationToken.None)).Ok);

        Assert.Equal(vehicle, ReadingJsonCodec.Decode(await got["edge/gw1/live/traffic/mag-1"].Task.WaitAsync(TimeSpan.FromSeconds(10))));
        Assert.Equal(Ingest.Reading("node-7", 4), ReadingJsonCodec.Decode(await got["edge/gw1/live/health/node-7"].Task.WaitAsync(TimeSpan.FromSeconds(10))));
    }

    [Fact]
    public async Task A_dashboard_disconnecting_stops_live_production()
    {
        await using var rig = await LocalRig.StartAsync();
        var dash = await Client.ConnectAsync(rig.Port);
        await dash.SubscribeAsync("edge/+/live/#");
        Assert.True(rig.Api.Live.HasSubscribers);
        var gone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Api.Live.SubscriptionsChanged += () => { if (!rig.Api.Live.HasSubscribers) gone.TrySetResult(); };
        await dash.DisposeAsync(); // the broker raises the disconnect on its own task
        await gone.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(rig.Api.Live.HasSubscribers);
    }

    [Fact]
    public async Task The_retained_status_says_online_with_topics_and_sensors()
    {
        await using var rig = await LocalRig.StartAsync();
        await using var c = await Client.ConnectAsync(rig.Port, user: "viewer", password: LocalRig.Password);
        var got = new TaskCompletionSource<MqttApplicationMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        c.MessageReceived += m => { if (m.Topic == "edge/gw1/status") got.TrySetResult(m); };
        await c.SubscribeAsync("edge/gw1/status");
        var m = await got.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(m.Retain);
        var status = JsonNode.Parse(m.ConvertPayloadToString())!;
        Assert.True(status["online"]!.GetValue<bool>());
        Assert.Equal("gw1", status["gateway"]!.GetValue<string>());
        Assert.Equal(2, status["sensors"]!["count"]!.GetValue<int>());
        Assert.NotNull(status["log"]!["topics"]!["health"]);
    }
}
