using System.Text;
using Edge.Local.Tests.TestKit;
using MQTTnet;

namespace Edge.Local.Tests;

public class AccessTests
{
    [Fact]
    public async Task A_wrong_password_or_unknown_user_is_refused_at_connect()
    {
        await using var rig = await LocalRig.StartAsync();
        await using var wrong = await Client.ConnectAsync(rig.Port, user: "viewer", password: "guess");
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, wrong.ConnectResult);
        await using var unknown = await Client.ConnectAsync(rig.Port, user: "mallory", password: LocalRig.Password);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, unknown.ConnectResult);
    }

    [Fact]
    public async Task A_sensor_may_only_publish_ingest()
    {
        await using var rig = await LocalRig.StartAsync();
        await using var node = await Client.ConnectAsync(rig.Port, user: "node", password: LocalRig.Password);
        Assert.Equal(MqttClientConnectResultCode.Success, node.ConnectResult);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, node.SubscribeResult); // even its own reply topic
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await node.SubscribeAsync("edge/gw1/live/#"));
        var status = await node.PublishAsync("edge/gw1/status", Encoding.UTF8.GetBytes("""{"online":false}"""));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, status.ReasonCode);
        var other = await node.PublishAsync("anything/else", [1]);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, other.ReasonCode);
        var ingest = await node.PublishAsync("edge/gw1/ingest/node-7", Ingest.Valid("node-7", 0));
        Assert.Equal(MqttClientPublishReasonCode.Success, ingest.ReasonCode);
    }

    [Fact]
    public async Task A_reader_may_query_and_watch_but_never_publish_ingest_or_see_it()
    {
        await using var rig = await LocalRig.StartAsync();
        await using var viewer = await Client.ConnectAsync(rig.Port, user: "viewer", password: LocalRig.Password);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, viewer.SubscribeResult);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await viewer.SubscribeAsync("edge/gw1/live/#"));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await viewer.SubscribeAsync("edge/gw1/status"));
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await viewer.SubscribeAsync("edge/gw1/ingest/#"));
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await viewer.SubscribeAsync("#"));
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await viewer.SubscribeAsync("edge/+/ingest/node-7"));
        var ingest = await viewer.PublishAsync("edge/gw1/ingest/node-7", Ingest.Valid("node-7", 0));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, ingest.ReasonCode);
        Assert.Equal(0, rig.Stored("health"));
        var reply = await viewer.QueryAsync("gw1", System.Text.Json.Nodes.JsonNode.Parse("""{"op":"sensors"}""")!.AsObject());
        Assert.True(reply["ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Anonymous_loopback_clients_get_the_loopback_role_admin_by_default()
    {
        await using var rig = await LocalRig.StartAsync();
        await using var local = await Client.ConnectAsync(rig.Port);
        Assert.Equal(MqttClientConnectResultCode.Success, local.ConnectResult);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await local.SubscribeAsync("#"));
    }
}
