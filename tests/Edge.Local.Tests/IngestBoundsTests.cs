using Edge.Local.Ingest;
using Edge.Local.Tests.TestKit;
using Edge.Log;
using Edge.Readings;
using MQTTnet;

namespace Edge.Local.Tests;

/// <summary>Item 6 of issue 10: what remote nodes may put into the log is bounded in time, count, rate and place.</summary>
public class IngestBoundsTests
{
    private static byte[] At(string sensor, long seq, DateTimeOffset at, string kind = ReadingKinds.HeartRate) =>
        ReadingJsonCodec.EncodeUtf8(new Reading(sensor, kind, at, [new ReadingValue("bpm", 70, "/min")], ReadingQuality.Ok, seq));

    [Fact]
    public async Task Readings_dated_outside_the_allowed_clock_skew_are_refused_naming_the_bound()
    {
        await using var rig = await LocalRig.StartAsync(ingest: new IngestOptions { MaxPastSkew = TimeSpan.FromDays(7), MaxFutureSkew = TimeSpan.FromMinutes(5) });
        await using var node = await Client.ConnectAsync(rig.Port, user: "node", password: LocalRig.Password);
        var now = DateTimeOffset.UtcNow;

        var year1 = await node.PublishAsync("edge/gw1/ingest/node-1", At("node-1", 0, new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, year1.ReasonCode);
        Assert.Contains("Ingest:MaxPastSkew", year1.ReasonString, StringComparison.Ordinal);
        var year9999 = await node.PublishAsync("edge/gw1/ingest/node-1", At("node-1", 1, new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, year9999.ReasonCode);
        Assert.Contains("Ingest:MaxFutureSkew", year9999.ReasonString, StringComparison.Ordinal);
        Assert.Equal(0, rig.Stored("health"));

        // Inside the bounds on both sides: stored.
        Assert.Equal(MqttClientPublishReasonCode.Success, (await node.PublishAsync("edge/gw1/ingest/node-1", At("node-1", 2, now.AddDays(-6)))).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await node.PublishAsync("edge/gw1/ingest/node-1", At("node-1", 3, now.AddMinutes(4)))).ReasonCode);
        Assert.Equal(2, rig.Stored("health"));
        Assert.Equal(2, rig.Counters.Refused["BadTimestamp"]);
    }

    [Fact]
    public async Task AutoRegister_stops_at_MaxAutoRegistered_and_known_sensors_go_on()
    {
        await using var rig = await LocalRig.StartAsync(ingest: new IngestOptions { MaxAutoRegistered = 3 });
        await using var node = await Client.ConnectAsync(rig.Port, user: "node", password: LocalRig.Password);
        for (int i = 0; i < 3; i++)
            Assert.Equal(MqttClientPublishReasonCode.Success, (await node.PublishAsync($"edge/gw1/ingest/n-{i}", Ingest.Valid($"n-{i}", 0))).ReasonCode);
        var fourth = await node.PublishAsync("edge/gw1/ingest/n-3", Ingest.Valid("n-3", 0));
        Assert.Equal(MqttClientPublishReasonCode.QuotaExceeded, fourth.ReasonCode);
        Assert.Contains("Ingest:MaxAutoRegistered", fourth.ReasonString, StringComparison.Ordinal);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await node.PublishAsync("edge/gw1/ingest/n-1", Ingest.Valid("n-1", 1))).ReasonCode);
        Assert.Equal(4, rig.Stored("health"));
        Assert.Null(rig.Api.Sensors.Find("n-3"));
    }

    [Fact]
    public async Task A_node_above_its_ingest_rate_is_refused_quota_exceeded_whatever_its_client_id()
    {
        await using var rig = await LocalRig.StartAsync(ingest: new IngestOptions { ReadingsPerSecond = 0.001, Burst = 5 });
        await using (var node = await Client.ConnectAsync(rig.Port, user: "node", password: LocalRig.Password))
        {
            for (int i = 0; i < 5; i++)
                Assert.Equal(MqttClientPublishReasonCode.Success, (await node.PublishAsync("edge/gw1/ingest/n-1", Ingest.Valid("n-1", i))).ReasonCode);
            var sixth = await node.PublishAsync("edge/gw1/ingest/n-1", Ingest.Valid("n-1", 5));
            Assert.Equal(MqttClientPublishReasonCode.QuotaExceeded, sixth.ReasonCode);
            Assert.Contains("Ingest:ReadingsPerSecond", sixth.ReasonString, StringComparison.Ordinal);
        }
        await using var renamed = await Client.ConnectAsync(rig.Port, user: "node", password: LocalRig.Password);
        Assert.Equal(MqttClientPublishReasonCode.QuotaExceeded, (await renamed.PublishAsync("edge/gw1/ingest/n-2", Ingest.Valid("n-2", 0))).ReasonCode);
        Assert.Equal(5, rig.Stored("health"));
    }

    [Theory]
    [InlineData("deadletter.forged")]
    [InlineData("_sensors.x")]
    [InlineData("_sensors")]
    public async Task A_kind_cannot_map_into_an_internal_or_dead_letter_topic(string kind)
    {
        await using var rig = await LocalRig.StartAsync();
        rig.Log.CreateTopic(new TopicConfig("deadletter") { Partitions = 1, RetentionTime = null });
        await using var node = await Client.ConnectAsync(rig.Port, user: "node", password: LocalRig.Password);
        var ack = await node.PublishAsync("edge/gw1/ingest/n-1", Ingest.Valid("n-1", 0, kind));
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, ack.ReasonCode);
        Assert.Equal(0, rig.Log.GetPartitionInfo("deadletter", 0).HighWatermark);
        Assert.Equal(0, rig.Log.GetPartitionInfo("_sensors", 0).HighWatermark);
    }

    [Theory]
    [InlineData("deadletter")]
    [InlineData("_sensors")]
    [InlineData("nowhere")]
    public void Ingest_Topics_mapping_into_a_topic_that_holds_no_readings_fails_validation_naming_the_key(string topic)
    {
        var options = new IngestOptions { Topics = { ["vitals"] = topic } };
        var error = Assert.Single(options.Validate(["traffic", "health", "environment"]));
        Assert.StartsWith("Ingest:Topics:vitals", error, StringComparison.Ordinal);
    }
}
