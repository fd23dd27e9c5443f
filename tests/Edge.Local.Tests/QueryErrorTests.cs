using System.Text;
using System.Text.Json.Nodes;
using Edge.Local.Query;
using Edge.Local.Tests.TestKit;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Edge.Local.Tests;

public class QueryErrorTests
{
    public static TheoryData<string, string> Requests => new()
    {
        { """{"op":"latest","sensor":"hr-1" """, QueryErrorCode.MalformedJson },
        { """[1,2,3]""", QueryErrorCode.MalformedJson },
        { """{"op":"latest","sensor":42}""", QueryErrorCode.InvalidRequest },
        { """{"op":"latest","sensor":"hr-1","limt":5}""", QueryErrorCode.InvalidRequest },
        { """{"sensor":"hr-1"}""", QueryErrorCode.InvalidRequest },
        { """{"op":"latest"}""", QueryErrorCode.InvalidRequest },
        { """{"op":"drop-table"}""", QueryErrorCode.UnknownOp },
        { """{"op":"latest","sensor":"nope"}""", QueryErrorCode.UnknownSensor },
        { """{"op":"range","topic":"nope"}""", QueryErrorCode.UnknownTopic },
        { """{"op":"range","topic":"_sensors"}""", QueryErrorCode.UnknownTopic },
        { """{"op":"range","topic":"traffic","partition":9}""", QueryErrorCode.UnknownTopic },
        { """{"op":"range","sensor":"hr-1","from":"2026-11-29T10:00:00Z","to":"2026-11-29T09:00:00Z"}""", QueryErrorCode.BadRange },
        { """{"op":"range","sensor":"hr-1","from":"yesterday"}""", QueryErrorCode.BadRange },
        { """{"op":"range","topic":"traffic","fromOffset":5}""", QueryErrorCode.BadRange },
        { """{"op":"stats","sensor":"hr-1","from":0,"to":1000,"window":"-5s"}""", QueryErrorCode.BadRange },
        { """{"op":"stats","sensor":"hr-1"}""", QueryErrorCode.BadRange },
        { """{"op":"range","sensor":"hr-1","limit":100000}""", QueryErrorCode.LimitTooLarge },
        { """{"op":"latest","sensor":"hr-1","n":0}""", QueryErrorCode.InvalidRequest },
        { """{"op":"stats","sensor":"hr-1","from":0,"to":86400000,"window":"1s"}""", QueryErrorCode.LimitTooLarge },
        { """{"op":"range","sensor":"hr-1","cursor":"garbage"}""", QueryErrorCode.BadCursor },
        { """{"op":"range","sensor":"hr-1","format":"csv"}""", QueryErrorCode.InvalidRequest },
        { """{"op":"range","topic":"health","format":"columns"}""", QueryErrorCode.InvalidRequest },
        { """{"op":"range","sensor":"hr-1","format":"columns","limit":10001}""", QueryErrorCode.LimitTooLarge },
        { """{"op":"range","sensor":"hr-1","cursor":"3:0"}""", QueryErrorCode.BadCursor },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Every_bad_request_gets_its_documented_error_code_over_MQTT_5(string request, string code)
    {
        await using var rig = await LocalRig.StartAsync();
        await using var c = await Client.ConnectAsync(rig.Port);
        var reply = await Raw(c, request);
        Assert.False(reply["ok"]!.GetValue<bool>());
        Assert.Equal(code, reply["error"]!["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(reply["error"]!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task MQTT_3_clients_get_error_codes_with_their_correlation_id()
    {
        await using var rig = await LocalRig.StartAsync();
        await using var c = await Client.ConnectAsync(rig.Port, MqttProtocolVersion.V311);
        var reply = await c.QueryAsync("gw1", JsonNode.Parse("""{"op":"latest","sensor":"nope"}""")!.AsObject());
        Assert.Equal(QueryErrorCode.UnknownSensor, reply["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_client_above_its_query_rate_is_told_rate_limited()
    {
        await using var rig = await LocalRig.StartAsync(new QueryOptions { QueriesPerSecond = 0.01, Burst = 3 });
        await using var c = await Client.ConnectAsync(rig.Port);
        var codes = new List<string>();
        for (int i = 0; i < 5; i++)
            codes.Add((await c.QueryAsync("gw1", JsonNode.Parse("""{"op":"sensors"}""")!.AsObject()))["error"]?["code"]?.GetValue<string>() ?? "ok");
        Assert.Equal(["ok", "ok", "ok", QueryErrorCode.RateLimited, QueryErrorCode.RateLimited], codes);
        // Limits are per account (anonymous clients: per address), so another account still gets answers.
        await using var other = await Client.ConnectAsync(rig.Port, user: "viewer", password: LocalRig.Password);
        Assert.True((await other.QueryAsync("gw1", JsonNode.Parse("""{"op":"sensors"}""")!.AsObject()))["ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Stats_over_more_records_than_allowed_is_range_too_large()
    {
        await using var rig = await LocalRig.StartAsync(new QueryOptions { MaxStatsScan = 1000 });
        await rig.FillAsync("health", "hr-1", 3000, DateTimeOffset.FromUnixTimeMilliseconds(0), TimeSpan.FromMilliseconds(10));
        await using var c = await Client.ConnectAsync(rig.Port);
        var reply = await Raw(c, """{"op":"stats","sensor":"hr-1","from":0,"to":100000}""");
        Assert.Equal(QueryErrorCode.RangeTooLarge, reply["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_sensor_role_query_is_refused_not_authorised_in_the_PUBACK_and_the_reply()
    {
        await using var rig = await LocalRig.StartAsync();
        await using var watcher = await Client.ConnectAsync(rig.Port, user: "ops", password: LocalRig.Password);
        var replies = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.MessageReceived += m => { if (m.Topic == "answers/node") replies.TrySetResult(m.ConvertPayloadToString()); };
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await watcher.SubscribeAsync("answers/node"));
        await using var node = await Client.ConnectAsync(rig.Port, user: "node", password: LocalRig.Password);
        var ack = await node.Mqtt.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("edge/gw1/query").WithPayload("""{"op":"sensors"}""")
            .WithResponseTopic("answers/node").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, ack.ReasonCode);
        var reply = JsonNode.Parse(await replies.Task.WaitAsync(TimeSpan.FromSeconds(10)))!;
        Assert.Equal(QueryErrorCode.NotAuthorised, reply["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_request_with_nowhere_to_reply_is_refused_in_the_PUBACK_with_the_reason()
    {
        await using var rig = await LocalRig.StartAsync();
        await using var c = await Client.ConnectAsync(rig.Port);
        var ack = await c.PublishAsync("edge/gw1/query", Encoding.UTF8.GetBytes("""{"op":"sensors"}"""));
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, ack.ReasonCode);
        Assert.Contains("replyTo", ack.ReasonString);
    }

    private static async Task<JsonNode> Raw(Client c, string payload)
    {
        var tcs = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        var correlation = Guid.NewGuid().ToByteArray();
        c.MessageReceived += m =>
        {
            if (m.CorrelationData is { } cd && cd.AsSpan().SequenceEqual(correlation)) tcs.TrySetResult(JsonNode.Parse(m.ConvertPayloadToString())!);
        };
        await c.Mqtt.SubscribeAsync("raw/replies", MqttQualityOfServiceLevel.AtLeastOnce);
        await c.Mqtt.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("edge/gw1/query").WithPayload(payload)
            .WithResponseTopic("raw/replies").WithCorrelationData(correlation).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return await tcs.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
