using System.Text;
using System.Text.Json.Nodes;
using Edge.Local.Broker;
using Edge.Local.Tests.TestKit;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Local.Tests;

/// <summary>Item 5 of issue 10: a client's rights come from the account it logged in with, never from a client id.</summary>
public class BrokerIdentityTests
{
    [Fact]
    public async Task A_sensor_account_with_the_gateways_own_client_id_can_neither_replace_the_status_nor_fake_readings()
    {
        await using var rig = await LocalRig.StartAsync();
        await using var watcher = await Client.ConnectAsync(rig.Port);
        var fake = new TaskCompletionSource<MqttApplicationMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.MessageReceived += m => { if (m.Topic.StartsWith("edge/gw1/live/", StringComparison.Ordinal)) fake.TrySetResult(m); };
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await watcher.SubscribeAsync("edge/gw1/live/#"));

        // MQTTnet in-process: the id is refused at CONNECT, before any PUBLISH could be checked.
        await using var impostor = await Client.ConnectAsync(rig.Port, user: "node", password: LocalRig.Password, clientId: EmbeddedBroker.SenderId);
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, impostor.ConnectResult);

        // mosquitto_pub as a user would run it: a retained "offline" status and a fake live reading.
        Tool.EnsureMosquittoClients();
        string port = rig.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var status = await Tool.RunAsync("mosquitto_pub", ["-V", "5", "-h", "127.0.0.1", "-p", port, "-i", "$edge", "-u", "node", "-P", LocalRig.Password,
            "-q", "1", "-r", "-t", "edge/gw1/status", "-m", """{"gateway":"gw1","online":true,"forged":true}"""], TimeSpan.FromSeconds(30));
        Assert.NotEqual(0, status.Exit);
        var live = await Tool.RunAsync("mosquitto_pub", ["-V", "5", "-h", "127.0.0.1", "-p", port, "-i", "$edge-2", "-u", "node", "-P", LocalRig.Password,
            "-q", "1", "-t", "edge/gw1/live/health/hr-1", "-m", Encoding.UTF8.GetString(Ingest.Valid("hr-1", 1))], TimeSpan.FromSeconds(30));
        Assert.NotEqual(0, live.Exit);

        // The retained status is still the gateway's own.
        var retained = await rig.RetainedStatusAsync();
        Assert.Null(retained["forged"]);
        Assert.Equal("gw1", retained["gateway"]!.GetValue<string>());
        Assert.False(fake.Task.IsCompleted);
    }

    [Theory]
    [InlineData("edge-gw1")]
    [InlineData("edge-gw1-local")]
    public async Task An_account_may_not_use_the_client_ids_of_the_gateways_own_clients(string clientId)
    {
        await using var rig = await LocalRig.StartAsync();
        await using var impostor = await Client.ConnectAsync(rig.Port, user: "ops", password: LocalRig.Password, clientId: clientId);
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, impostor.ConnectResult);
        await using var own = await Client.ConnectAsync(rig.Port, clientId: clientId); // the gateway's uplink, on the device
        Assert.Equal(MqttClientConnectResultCode.Success, own.ConnectResult);
    }

    [Fact]
    public async Task A_sensor_account_reusing_the_client_id_of_a_loopback_admin_session_is_refused_and_does_not_inherit_its_role()
    {
        await using var rig = await LocalRig.StartAsync();
        await using (var admin = await Client.ConnectAsync(rig.Port, clientId: "dashboard-1", cleanStart: false, sessionExpiry: 3600))
            Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await admin.SubscribeAsync("#"));

        await using var takeover = await Client.ConnectAsync(rig.Port, user: "node", password: LocalRig.Password, clientId: "dashboard-1", cleanStart: false, sessionExpiry: 3600);
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, takeover.ConnectResult);
        if (takeover.Mqtt.IsConnected) Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await takeover.SubscribeAsync("#"));

        // The owner still resumes its own session.
        await using var back = await Client.ConnectAsync(rig.Port, clientId: "dashboard-1", cleanStart: false, sessionExpiry: 3600);
        Assert.Equal(MqttClientConnectResultCode.Success, back.ConnectResult);
        Assert.True(back.SessionPresent);
    }

    [Fact]
    public async Task A_user_cannot_kick_another_accounts_client_off_by_connecting_with_its_id()
    {
        await using var rig = await LocalRig.StartAsync();
        await using var viewer = await Client.ConnectAsync(rig.Port, user: "viewer", password: LocalRig.Password, clientId: "wall-screen");
        Assert.Equal(MqttClientConnectResultCode.Success, viewer.ConnectResult);

        await using var clean = await Client.ConnectAsync(rig.Port, user: "node", password: LocalRig.Password, clientId: "wall-screen", cleanStart: true);
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, clean.ConnectResult);

        Assert.True(viewer.Mqtt.IsConnected);
        var reply = await viewer.QueryAsync("gw1", JsonNode.Parse("""{"op":"sensors"}""")!.AsObject());
        Assert.True(reply["ok"]!.GetValue<bool>());

        // The same account may take over its own client id (a device reconnecting before the broker noticed it left).
        await using var again = await Client.ConnectAsync(rig.Port, user: "viewer", password: LocalRig.Password, clientId: "wall-screen");
        Assert.Equal(MqttClientConnectResultCode.Success, again.ConnectResult);
    }

    [Fact]
    public async Task A_sensor_account_limited_to_its_own_ids_may_not_publish_for_other_sensors()
    {
        await using var rig = await LocalRig.StartAsync(configure: o =>
            o.Users["node7"] = new BrokerUser { PasswordHash = LocalRig.Hash, Role = BrokerRole.Sensor, Sensors = ["node7-*", "gate-3"] });
        await using var node = await Client.ConnectAsync(rig.Port, user: "node7", password: LocalRig.Password);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await node.PublishAsync("edge/gw1/ingest/node7-a", Ingest.Valid("node7-a", 0))).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await node.PublishAsync("edge/gw1/ingest/gate-3", Ingest.Valid("gate-3", 0))).ReasonCode);
        var other = await node.PublishAsync("edge/gw1/ingest/node8-a", Ingest.Valid("node8-a", 0));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, other.ReasonCode);
        Assert.Contains("Broker:Users:node7:Sensors", other.ReasonString, StringComparison.Ordinal);
        var prefixOnly = await node.PublishAsync("edge/gw1/ingest/gate-30", Ingest.Valid("gate-30", 0));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, prefixOnly.ReasonCode);
        Assert.Equal(2, rig.Stored("health"));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("node*7", "only at the end")]
    [InlineData("no/slash", "not a sensor id")]
    public void A_malformed_sensor_pattern_fails_validation_naming_the_key(string pattern, string why)
    {
        var options = new BrokerOptions { Users = { ["n1"] = new BrokerUser { PasswordHash = LocalRig.Hash, Role = BrokerRole.Sensor, Sensors = [pattern] } } };
        var error = Assert.Single(options.Validate());
        Assert.StartsWith("Broker:Users:n1:Sensors", error, StringComparison.Ordinal);
        Assert.Contains(why, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$SYS/broker/x")]
    [InlineData("$edge/replies")]
    public async Task A_dollar_topic_is_refused_as_a_reply_topic(string replyTopic)
    {
        await using var rig = await LocalRig.StartAsync();
        await using var viewer = await Client.ConnectAsync(rig.Port, user: "viewer", password: LocalRig.Password);
        var ack = await viewer.Mqtt.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("edge/gw1/query").WithPayload("""{"op":"sensors"}""")
            .WithResponseTopic(replyTopic).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, ack.ReasonCode);
        Assert.Contains("'$'", ack.ReasonString, StringComparison.Ordinal);

        // MQTT 3.1.1 names its reply topic in the JSON: refused the same way.
        var v311 = await viewer.Mqtt.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("edge/gw1/query")
            .WithPayload($$"""{"op":"sensors","replyTo":"{{replyTopic}}"}""").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, v311.ReasonCode);
    }
}
