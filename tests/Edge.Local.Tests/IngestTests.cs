using System.Text;
using System.Text.Json.Nodes;
using Edge.Local.Ingest;
using Edge.Local.Tests.TestKit;
using Edge.Readings;
using MQTTnet;

namespace Edge.Local.Tests;

public class IngestTests
{
    [Fact]
    public async Task A_valid_reading_is_durable_when_its_PUBACK_arrives_and_is_queryable()
    {
        await using var rig = await LocalRig.StartAsync();
        await using var node = await Client.ConnectAsync(rig.Port, user: "node", password: LocalRig.Password);
        for (int i = 0; i < 20; i++)
            Assert.Equal(MqttClientPublishReasonCode.Success, (await node.PublishAsync("edge/gw1/ingest/node-7", Ingest.Valid("node-7", i))).ReasonCode);
        Assert.Equal(20, rig.Stored("health")); // durable before the PUBACK: no waiting needed
        await using var c = await Client.ConnectAsync(rig.Port);
        var reply = await c.QueryAsync("gw1", JsonNode.Parse("""{"op":"latest","sensor":"node-7","n":20}""")!.AsObject());
        var readings = reply["readings"]!.AsArray().Select(r => ReadingJsonCodec.Decode(r!["reading"]!.ToJsonString())).ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => Ingest.Reading("node-7", i)), readings);
        var sensors = (await c.QueryAsync("gw1", JsonNode.Parse("""{"op":"sensors"}""")!.AsObject()))["sensors"]!.AsArray();
        Assert.Contains(sensors, s => s!["id"]!.GetValue<string>() == "node-7" && s["source"]!.GetValue<string>() == "ingest");
    }

    public static TheoryData<string, string, MqttClientPublishReasonCode> Refusals => new()
    {
        { "edge/gw1/ingest/node-7", "not json", MqttClientPublishReasonCode.PayloadFormatInvalid },
        { "edge/gw1/ingest/node-7", """{"sensor":"node-7"}""", MqttClientPublishReasonCode.PayloadFormatInvalid },
        { "edge/gw1/ingest/node-7", Encoding.UTF8.GetString(Ingest.Valid("node-8", 0)), MqttClientPublishReasonCode.PayloadFormatInvalid },
        { "edge/gw1/ingest/node-7", Encoding.UTF8.GetString(Ingest.Valid("node-7", 0, "weird.kind")), MqttClientPublishReasonCode.PayloadFormatInvalid },
        { "edge/gw1/ingest/hr-1", Encoding.UTF8.GetString(Ingest.Valid("hr-1", 0)), MqttClientPublishReasonCode.TopicNameInvalid },
        { "edge/gw1/ingest/bad$id", """{}""", MqttClientPublishReasonCode.TopicNameInvalid },
        { "edge/gw1/ingest/node-7", new string(' ', 5000), MqttClientPublishReasonCode.QuotaExceeded },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Invalid_ingest_is_refused_with_its_reason_code_and_nothing_is_stored(string topic, string payload, MqttClientPublishReasonCode code)
    {
        await using var rig = await LocalRig.StartAsync();
        await using var node = await Client.ConnectAsync(rig.Port, user: "node", password: LocalRig.Password);
        var ack = await node.PublishAsync(topic, Encoding.UTF8.GetBytes(payload));
        Assert.Equal(code, ack.ReasonCode);
        Assert.False(string.IsNullOrEmpty(ack.ReasonString));
        Assert.Equal(0, rig.Stored("health") + rig.Stored("traffic") + rig.Stored("environment"));
        Assert.Equal(1, rig.Counters.Refused.Values.Sum());
    }

    [Fact]
    public async Task Under_KnownOnly_an_unlisted_sensor_is_not_authorised()
    {
        await using var rig = await LocalRig.StartAsync(ingest: new IngestOptions { Policy = IngestPolicy.KnownOnly, Sensors = ["node-1"] });
        await using var node = await Client.ConnectAsync(rig.Port, user: "node", password: LocalRig.Password);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await node.PublishAsync("edge/gw1/ingest/node-2", Ingest.Valid("node-2", 0))).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await node.PublishAsync("edge/gw1/ingest/node-1", Ingest.Valid("node-1", 0))).ReasonCode);
        Assert.Equal(1, rig.Stored("health"));
    }

    [Fact]
    public async Task An_exact_retransmission_after_a_lost_PUBACK_is_acknowledged_but_stored_once()
    {
        await using var rig = await LocalRig.StartAsync();
        await using var node = await Client.ConnectAsync(rig.Port, user: "node", password: LocalRig.Password);
        for (int i = 0; i < 3; i++) await node.PublishAsync("edge/gw1/ingest/node-7", Ingest.Valid("node-7", 5));
        await node.PublishAsync("edge/gw1/ingest/node-7", Ingest.Valid("node-7", 6));
        Assert.Equal(2, rig.Stored("health"));
    }

    [Fact]
    public async Task A_registered_remote_sensor_is_known_after_a_restart()
    {
        using var dir = new TempDir();
        await using (var rig = await LocalRig.StartAsync(dir: dir, keepDirectory: true))
        {
            await using var node = await Client.ConnectAsync(rig.Port, user: "node", password: LocalRig.Password);
            await node.PublishAsync("edge/gw1/ingest/node-9", Ingest.Valid("node-9", 0, ReadingKinds.Environment));
        }
        await using var again = await LocalRig.StartAsync(dir: dir, keepDirectory: true);
        await using var c = await Client.ConnectAsync(again.Port);
        var reply = await c.QueryAsync("gw1", JsonNode.Parse("""{"op":"latest","sensor":"node-9"}""")!.AsObject());
        Assert.True(reply["ok"]!.GetValue<bool>(), reply.ToJsonString());
        Assert.Equal("environment", reply["readings"]![0]!["topic"]!.GetValue<string>());
    }
}
