using System.Text.Json.Nodes;
using Edge.Local.Tests.TestKit;
using MQTTnet.Formatter;

namespace Edge.Local.Tests;

public class QueryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);

    public static TheoryData<MqttProtocolVersion> Versions => new() { MqttProtocolVersion.V500, MqttProtocolVersion.V311 };

    private static JsonObject Q(string json) => JsonNode.Parse(json)!.AsObject();

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Sensors_lists_the_configured_sensors_with_kind_topic_and_state(MqttProtocolVersion version)
    {
        await using var rig = await LocalRig.StartAsync();
        await using var c = await Client.ConnectAsync(rig.Port, version);
        var reply = await c.QueryAsync("gw1", Q("""{"op":"sensors"}"""));
        Assert.True(reply["ok"]!.GetValue<bool>(), reply.ToJsonString());
        var sensors = reply["sensors"]!.AsArray();
        Assert.Equal(["mag-1", "hr-1"], sensors.Select(s => s!["id"]!.GetValue<string>()));
        Assert.Equal("health", sensors[1]!["topic"]!.GetValue<string>());
        Assert.Equal("health.heart_rate", sensors[1]!["kind"]!.GetValue<string>());
        Assert.Equal("ok", sensors[1]!["state"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Latest_returns_the_last_n_readings_of_the_sensor_oldest_first(MqttProtocolVersion version)
    {
        await using var rig = await LocalRig.StartAsync();
        await rig.FillAsync("health", "hr-1", 5000, T0, TimeSpan.FromSeconds(1));
        await rig.FillAsync("health", "other", 3000, T0, TimeSpan.FromSeconds(1)); // may share the partition: must be filtered out
        await using var c = await Client.ConnectAsync(rig.Port, version);
        var reply = await c.QueryAsync("gw1", Q("""{"op":"latest","sensor":"hr-1","n":3}"""));
        Assert.True(reply["ok"]!.GetValue<bool>(), reply.ToJsonString());
        var seqs = reply["readings"]!.AsArray().Select(r => r!["reading"]!["seq"]!.GetValue<long>()).ToArray();
        Assert.Equal([4997L, 4998L, 4999L], seqs);
        Assert.All(reply["readings"]!.AsArray(), r => Assert.Equal("hr-1", r!["reading"]!["sensor"]!.GetValue<string>()));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Range_by_time_returns_exactly_the_readings_between_the_bounds(MqttProtocolVersion version)
    {
        await using var rig = await LocalRig.StartAsync();
        await rig.FillAsync("health", "hr-1", 600, T0, TimeSpan.FromSeconds(1));
        await using var c = await Client.ConnectAsync(rig.Port, version);
        var from = T0.AddSeconds(100).ToString("O");
        var to = T0.AddSeconds(149).ToString("O");
        var reply = await c.QueryAsync("gw1", Q($$"""{"op":"range","sensor":"hr-1","from":"{{from}}","to":"{{to}}","limit":1000}"""));
        Assert.True(reply["ok"]!.GetValue<bool>(), reply.ToJsonString());
        Assert.Equal(Enumerable.Range(100, 50).Select(i => (long)i), reply["readings"]!.AsArray().Select(r => r!["reading"]!["seq"]!.GetValue<long>()));
        Assert.Null(reply["next"]);
    }

    [Fact]
    public async Task A_large_range_is_paged_with_the_cursor_to_the_end_every_reading_once_in_order()
    {
        await using var rig = await LocalRig.StartAsync();
        var interleave = rig.FillAsync("health", "noise", 8000, T0, TimeSpan.FromMilliseconds(500));
        await rig.FillAsync("health", "hr-1", 12_345, T0, TimeSpan.FromMilliseconds(250));
        await interleave;
        await using var c = await Client.ConnectAsync(rig.Port);
        var seen = new List<long>();
        var request = Q("""{"op":"range","sensor":"hr-1","limit":1000}""");
        int pages = 0;
        while (true)
        {
            var reply = await c.QueryAsync("gw1", request);
            Assert.True(reply["ok"]!.GetValue<bool>(), reply.ToJsonString());
            Assert.True(reply["count"]!.GetValue<int>() <= 1000);
            seen.AddRange(reply["readings"]!.AsArray().Select(r => r!["reading"]!["seq"]!.GetValue<long>()));
            pages++;
            if (reply["next"] is not { } next) break;
            request["cursor"] = next.GetValue<string>();
        }
        Assert.Equal(Enumerable.Range(0, 12_345).Select(i => (long)i), seen);
        Assert.InRange(pages, 13, 14);
    }

    [Fact]
    public async Task A_columns_range_pages_one_sensors_series_with_the_same_times_and_values_as_its_readings()
    {
        await using var rig = await LocalRig.StartAsync();
        var interleave = rig.FillAsync("health", "noise", 4000, T0, TimeSpan.FromMilliseconds(500));
        await rig.FillAsync("health", "hr-1", 12_345, T0, TimeSpan.FromMilliseconds(250));
        await interleave;
        // Two later readings carry a second value: columns hold null where a reading has no such value.
        var key = System.Text.Encoding.UTF8.GetBytes("hr-1");
        for (int i = 0; i < 2; i++)
        {
            var r = new Edge.Readings.Reading("hr-1", Edge.Readings.ReadingKinds.HeartRate, T0.AddHours(1).AddSeconds(i),
                [new Edge.Readings.ReadingValue("bpm", 70 + i, "/min"), new Edge.Readings.ReadingValue("spo2", 97.5 - i, "%")], Edge.Readings.ReadingQuality.Ok, 12_345 + i);
            await rig.Log.AppendAsync("health", new Edge.Log.Record(key, Edge.Readings.ReadingBinaryCodec.Encode(r), r.Timestamp.ToUnixTimeMilliseconds()));
        }
        await using var c = await Client.ConnectAsync(rig.Port);

        // The truth: the same range in the reading form, paged.
        var truth = new List<(long Ts, double Bpm, double? Spo2)>();
        var request = Q("""{"op":"range","sensor":"hr-1","limit":1000}""");
        while (true)
        {
            var reply = await c.QueryAsync("gw1", request);
            foreach (var r in reply["readings"]!.AsArray())
            {
                var values = r!["reading"]!["values"]!.AsArray();
                truth.Add((DateTimeOffset.Parse(r["reading"]!["ts"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(),
                    values.Single(v => v!["name"]!.GetValue<string>() == "bpm")!["value"]!.GetValue<double>(),
                    values.SingleOrDefault(v => v!["name"]!.GetValue<string>() == "spo2")?["value"]!.GetValue<double>()));
            }
            if (reply["next"] is not { } next) break;
            request["cursor"] = next.GetValue<string>();
        }

        var columns = new List<(long Ts, double Bpm, double? Spo2)>();
        request = Q("""{"op":"range","sensor":"hr-1","format":"columns","limit":5000}""");
        int pages = 0;
        while (true)
        {
            var reply = await c.QueryAsync("gw1", request);
            Assert.True(reply["ok"]!.GetValue<bool>(), reply.ToJsonString());
            Assert.Equal("columns", reply["format"]!.GetValue<string>());
            var ts = reply["ts"]!.AsArray().Select(t => t!.GetValue<long>()).ToList();
            Assert.Equal(reply["count"]!.GetValue<int>(), ts.Count);
            var bpm = reply["values"]!["bpm"]!.AsArray();
            var spo2 = reply["values"]!["spo2"]?.AsArray();
            Assert.Equal("/min", reply["units"]!["bpm"]!.GetValue<string>());
            for (int i = 0; i < ts.Count; i++) columns.Add((ts[i], bpm[i]!.GetValue<double>(), spo2?[i]?.GetValue<double>()));
            pages++;
            if (reply["next"] is not { } next) break;
            request["cursor"] = next.GetValue<string>();
        }
        Assert.Equal(12_347, truth.Count);
        Assert.Equal(truth, columns);
        Assert.Equal(3, pages);
        Assert.Equal([97.5, 96.5], columns.Where(x => x.Spo2 is not null).Select(x => x.Spo2!.Value));
    }

    [Fact]
    public async Task A_topic_range_pages_through_every_partition()
    {
        await using var rig = await LocalRig.StartAsync();
        foreach (var s in new[] { "a", "b", "c", "d", "e" }) await rig.FillAsync("traffic", s, 700, T0, TimeSpan.FromSeconds(1), "traffic.vehicle");
        await using var c = await Client.ConnectAsync(rig.Port, MqttProtocolVersion.V311);
        var seen = new HashSet<(string, long)>();
        var request = Q("""{"op":"range","topic":"traffic","limit":500}""");
        while (true)
        {
            var reply = await c.QueryAsync("gw1", request);
            Assert.True(reply["ok"]!.GetValue<bool>(), reply.ToJsonString());
            foreach (var r in reply["readings"]!.AsArray()) Assert.True(seen.Add((r!["reading"]!["sensor"]!.GetValue<string>(), r["reading"]!["seq"]!.GetValue<long>())));
            if (reply["next"] is not { } next) break;
            request["cursor"] = next.GetValue<string>();
        }
        Assert.Equal(5 * 700, seen.Count);
    }

    [Fact]
    public async Task Range_by_offsets_in_one_partition()
    {
        await using var rig = await LocalRig.StartAsync();
        await rig.FillAsync("environment", "env-1", 100, T0, TimeSpan.FromSeconds(1), "environment");
        await using var c = await Client.ConnectAsync(rig.Port);
        var reply = await c.QueryAsync("gw1", Q("""{"op":"range","topic":"environment","partition":0,"fromOffset":10,"toOffset":20}"""));
        Assert.Equal(Enumerable.Range(10, 10).Select(i => (long)i), reply["readings"]!.AsArray().Select(r => r!["offset"]!.GetValue<long>()));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Stats_gives_count_min_max_and_mean_per_window(MqttProtocolVersion version)
    {
        await using var rig = await LocalRig.StartAsync();
        await rig.FillAsync("health", "hr-1", 120, T0, TimeSpan.FromSeconds(1)); // bpm = 60 + i % 40
        await using var c = await Client.ConnectAsync(rig.Port, version);
        var reply = await c.QueryAsync("gw1", Q($$"""{"op":"stats","sensor":"hr-1","from":"{{T0:O}}","to":"{{T0.AddSeconds(119):O}}","window":"1m"}"""));
        Assert.True(reply["ok"]!.GetValue<bool>(), reply.ToJsonString());
        var windows = reply["windows"]!.AsArray();
        Assert.Equal(2, windows.Count);
        var first = windows[0]!["values"]!["bpm"]!;
        Assert.Equal(60, first["count"]!.GetValue<long>());
        Assert.Equal(60, first["min"]!.GetValue<double>());
        Assert.Equal(99, first["max"]!.GetValue<double>());
        Assert.Equal(Enumerable.Range(0, 60).Average(i => 60 + i % 40), first["mean"]!.GetValue<double>(), 6);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Status_reports_topics_partitions_end_offsets_and_disk_use(MqttProtocolVersion version)
    {
        await using var rig = await LocalRig.StartAsync();
        await rig.FillAsync("environment", "env-1", 42, T0, TimeSpan.FromSeconds(1), "environment");
        await using var c = await Client.ConnectAsync(rig.Port, version);
        var reply = await c.QueryAsync("gw1", Q("""{"op":"status"}"""));
        var status = reply["status"]!;
        Assert.True(status["online"]!.GetValue<bool>());
        Assert.Equal(42, status["log"]!["topics"]!["environment"]![0]!["end"]!.GetValue<long>());
        Assert.True(status["log"]!["bytes"]!.GetValue<long>() > 0);
        Assert.Equal(4, status["log"]!["topics"]!["traffic"]!.AsArray().Count);
        Assert.Equal("buffer-only", status["uplink"]!["state"]!.GetValue<string>());
    }
}
