using System.Text.Json.Nodes;
using Edge.Local.Broker;
using Edge.Local.Ingest;
using Edge.Local.Query;
using Edge.Local.Tests.TestKit;
using Edge.Log;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Local.Tests;

/// <summary>Every request gets a reply with a documented code (QUERY.md), whatever its numbers are.</summary>
public class HostileQueryTests
{
    private static readonly string[] Codes = typeof(QueryErrorCode).GetFields().Select(f => (string)f.GetValue(null)!).ToArray();

    private static readonly string[] Numbers =
    [
        "-9223372036854775808", "9223372036854775807", "-9223372036854775807", "9223372036854775806", "-1", "0", "1", "2147483647", "2147483648",
        "-2147483649", "4611686018427387904", "1e308", "-1e308", "1.5", "9.3e18", "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59.999Z\"",
        "\"-292277022657-01-27T08:29:52Z\"",
    ];

    private static readonly string[] Shapes =
    [
        """{"op":"stats","sensor":"hr-1","from":A,"to":B}""",
        """{"op":"stats","sensor":"hr-1","from":A,"to":B,"window":W}""",
        """{"op":"range","sensor":"hr-1","from":A,"to":B}""",
        """{"op":"range","topic":"traffic","partition":1,"fromOffset":A,"toOffset":B}""",
        """{"op":"range","sensor":"hr-1","from":A,"to":B,"cursor":"0:9223372036854775807"}""",
        """{"op":"range","topic":"traffic","from":A,"limit":W}""",
        """{"op":"latest","sensor":"hr-1","n":W}""",
    ];

    [Fact]
    public async Task A_stats_request_over_the_whole_time_range_gets_a_reply_and_the_connection_stays()
    {
        await using var rig = await LocalRig.StartAsync();
        await rig.FillAsync("health", "hr-1", 100, Ingest.T0, TimeSpan.FromSeconds(1));
        await using var c = await Client.ConnectAsync(rig.Port);
        var reply = await c.QueryAsync("gw1", JsonNode.Parse("""{"op":"stats","sensor":"hr-1","from":-9223372036854775808,"to":9223372036854775807}""")!.AsObject(), TimeSpan.FromSeconds(10));
        Assert.Contains(reply["ok"]!.GetValue<bool>() ? "ok" : reply["error"]!["code"]!.GetValue<string>(), Codes.Append("ok"));
        Assert.True(c.Mqtt.IsConnected);
    }

    [Fact]
    public async Task Hostile_numbers_in_every_numeric_field_each_get_a_reply_with_a_documented_code()
    {
        await using var rig = await LocalRig.StartAsync(new QueryOptions { QueriesPerSecond = 1e9, Burst = 1_000_000 });
        await rig.FillAsync("health", "hr-1", 2000, Ingest.T0, TimeSpan.FromSeconds(1));
        await rig.FillAsync("traffic", "mag-1", 2000, Ingest.T0, TimeSpan.FromSeconds(1), Edge.Readings.ReadingKinds.TrafficVehicle);
        await using var c = await Client.ConnectAsync(rig.Port);
        var random = new Random(6);
        int asked = 0;
        foreach (var shape in Shapes)
            for (int i = 0; i < 60; i++)
            {
                string request = shape.Replace("A", Numbers[random.Next(Numbers.Length)], StringComparison.Ordinal)
                    .Replace("B", Numbers[random.Next(Numbers.Length)], StringComparison.Ordinal).Replace("W", Numbers[random.Next(Numbers.Length)], StringComparison.Ordinal);
                var reply = await c.QueryAsync("gw1", JsonNode.Parse(request)!.AsObject(), TimeSpan.FromSeconds(10));
                string outcome = reply["ok"]!.GetValue<bool>() ? "ok" : reply["error"]!["code"]!.GetValue<string>();
                Assert.True(Codes.Contains(outcome) || outcome == "ok", $"{request} -> {reply.ToJsonString()}");
                Assert.NotEqual(QueryErrorCode.Internal, outcome); // hostile numbers are the client's error, not ours
                asked++;
            }
        Assert.True(c.Mqtt.IsConnected);
        Assert.Equal(Shapes.Length * 60, asked);
    }

    [Fact]
    public async Task In_client_mode_the_hostile_stats_request_is_answered_and_acknowledged_once()
    {
        await using var rig = new ClientModeRig(new Edge.Local.Status.SensorInfo("hr-1", "max30102", Edge.Readings.ReadingKinds.HeartRate, "health", "local", "ok", 0, 0, null));
        {
            await using var c = await Client.ConnectAsync(rig.Mosquitto.Port);
            var online = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            c.MessageReceived += m => { if (m.Topic == "edge/gw1/status") online.TrySetResult(); };
            await c.SubscribeAsync("edge/gw1/status");
            await online.Task.WaitAsync(TimeSpan.FromSeconds(20));

            int replies = 0;
            c.MessageReceived += m => { if (m.Topic.StartsWith("replies/", StringComparison.Ordinal)) Interlocked.Increment(ref replies); };
            var reply = await c.QueryAsync("gw1", JsonNode.Parse("""{"op":"stats","sensor":"hr-1","from":-9223372036854775808,"to":9223372036854775807}""")!.AsObject(), TimeSpan.FromSeconds(20));
            Assert.Contains(reply["ok"]!.GetValue<bool>() ? "ok" : reply["error"]!["code"]!.GetValue<string>(), Codes.Append("ok"));

            // Acknowledged: a later query is answered, and the hostile one did not come back (it would be answered again first).
            var after = await c.QueryAsync("gw1", JsonNode.Parse("""{"op":"sensors"}""")!.AsObject(), TimeSpan.FromSeconds(20));
            Assert.True(after["ok"]!.GetValue<bool>());
            Assert.Equal(2, Volatile.Read(ref replies));
        }
    }

    [Fact]
    public async Task Latest_examines_at_most_MaxScanPerPage_records_and_says_when_it_stopped_early()
    {
        await using var rig = await LocalRig.StartAsync(new QueryOptions { MaxScanPerPage = 1000 });
        await rig.Api.Sensors.RegisterAsync("old-1", Edge.Readings.ReadingKinds.HeartRate, "environment", default);
        await rig.FillAsync("environment", "old-1", 10, Ingest.T0, TimeSpan.FromSeconds(1));
        await rig.FillAsync("environment", "busy-1", 5000, Ingest.T0.AddMinutes(1), TimeSpan.FromMilliseconds(10));
        await using var c = await Client.ConnectAsync(rig.Port);

        var reply = await c.QueryAsync("gw1", JsonNode.Parse("""{"op":"latest","sensor":"old-1","n":3}""")!.AsObject());
        Assert.True(reply["ok"]!.GetValue<bool>(), reply.ToJsonString());
        Assert.Equal(0, reply["count"]!.GetValue<int>());
        Assert.True(reply["partial"]!.GetValue<bool>());

        // Within the budget, the answer is complete.
        await rig.FillAsync("environment", "old-1", 5, Ingest.T0.AddMinutes(2), TimeSpan.FromSeconds(1));
        reply = await c.QueryAsync("gw1", JsonNode.Parse("""{"op":"latest","sensor":"old-1","n":3}""")!.AsObject());
        Assert.Equal(3, reply["count"]!.GetValue<int>());
        Assert.False(reply["partial"]!.GetValue<bool>());
        Assert.Equal([2L, 3L, 4L], reply["readings"]!.AsArray().Select(r => r!["reading"]!["seq"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Latest_keeps_only_n_readings_in_memory_however_many_match_in_its_window()
    {
        // A sensor that was busy long ago: its readings fill the window the search grows into. The scanner returns
        // the last n and holds no more than n while scanning.
        using var dir = new TempDir();
        using var log = EdgeLog.Open(new LogOptions { Directory = dir.Path, MaintenanceInterval = TimeSpan.FromHours(1) });
        log.CreateTopic(new TopicConfig("t") { Partitions = 1, RetentionTime = null });
        var key = System.Text.Encoding.UTF8.GetBytes("s-1");
        var tasks = Enumerable.Range(0, 20_000).Select(i => log.AppendAsync("t", new Edge.Log.Record(key,
            Edge.Readings.ReadingBinaryCodec.Encode(Ingest.Reading("s-1", i)), Ingest.T0.AddSeconds(i).ToUnixTimeMilliseconds())).AsTask()).ToArray();
        await Task.WhenAll(tasks);
        var scanner = new ReadingScanner(log);
        var found = scanner.Latest("t", 0, key, 2, 1_000_000);
        Assert.Equal([19_998L, 19_999L], found.Readings.Select(f => f.Reading.Sequence));
        Assert.InRange(found.MostHeld, 1, 2);
    }
}
