using System.Text;
using System.Text.Json.Nodes;
using Edge.Local.Status;
using Edge.Local.Tests.TestKit;
using Edge.Log;
using Edge.Readings;

namespace Edge.Local.Tests;

/// <summary>{"op":"rules"} and {"op":"alerts"} on the query topic (QUERY.md, issue 12 "Over MQTT").</summary>
public class RulesAndAlertsQueryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);

    private static readonly FixedRulesView Rules = new("alerts",
        new RuleSnapshot("spo2-low", "threshold", "spo2 < 90 for 30s", 1200, 3, ["spo2-bed1"]),
        new RuleSnapshot("fever", "threshold", "body_temperature >= 38 for 5m", 400, 0, []));

    private static JsonObject Q(string json) => JsonNode.Parse(json)!.AsObject();

    private static async Task<LocalRig> RigWithAlertsAsync()
    {
        var rig = await LocalRig.StartAsync(rules: Rules);
        for (int i = 0; i < 10; i++)
        {
            var at = T0.AddMinutes(i);
            await StoredAlerts.AppendAsync(rig.Log, i % 2 == 0 ? "spo2-low" : "fever", $"bed{i / 2}", raised: i % 4 < 2, at, T0.AddMinutes(i).AddSeconds(-30).ToUnixTimeMilliseconds(), i);
        }
        return rig;
    }

    [Fact]
    public async Task Rules_lists_each_rule_with_type_kind_counters_and_raised_keys()
    {
        await using var rig = await LocalRig.StartAsync(rules: Rules);
        await using var c = await Client.ConnectAsync(rig.Port);
        var reply = await c.QueryAsync("gw1", Q("""{"op":"rules"}"""));
        Assert.True(reply["ok"]!.GetValue<bool>(), reply.ToJsonString());
        Assert.Equal("alerts", reply["alertTopic"]!.GetValue<string>());
        var rules = reply["rules"]!.AsArray();
        Assert.Equal(["spo2-low", "fever"], rules.Select(r => r!["name"]!.GetValue<string>()));
        var spo2 = rules[0]!;
        Assert.Equal("threshold", spo2["type"]!.GetValue<string>());
        Assert.Equal("alert.spo2_low", spo2["kind"]!.GetValue<string>());
        Assert.Equal(1200, spo2["matched"]!.GetValue<long>());
        Assert.Equal(3, spo2["late"]!.GetValue<long>());
        Assert.Equal(1, spo2["raised"]!.GetValue<int>());
        Assert.Equal(["spo2-bed1"], spo2["raisedKeys"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.Empty(rules[1]!["raisedKeys"]!.AsArray());
    }

    [Fact]
    public async Task Alerts_returns_the_events_of_one_rule_in_the_time_range_paged_to_the_end()
    {
        await using var rig = await RigWithAlertsAsync();
        await using var c = await Client.ConnectAsync(rig.Port);
        var from = T0.AddMinutes(2).ToString("O");
        var to = T0.AddMinutes(8).ToString("O");
        var seen = new List<JsonNode>();
        string? cursor = null;
        do
        {
            string cursorField = cursor is null ? "" : $$""","cursor":"{{cursor}}" """;
            var reply = await c.QueryAsync("gw1", Q($$"""{"op":"alerts","rule":"spo2-low","from":"{{from}}","to":"{{to}}","limit":2{{cursorField}}}"""));
            Assert.True(reply["ok"]!.GetValue<bool>(), reply.ToJsonString());
            seen.AddRange(reply["alerts"]!.AsArray().Select(a => a!));
            cursor = reply["next"]?.GetValue<string>();
        }
        while (cursor is not null);
        // spo2-low events are the even minutes; 2..8 inclusive: 2, 4, 6, 8.
        Assert.Equal([2L, 4L, 6L, 8L], seen.Select(a => a["episode"]!.GetValue<long>()));
        Assert.All(seen, a => Assert.Equal("spo2-low", a["rule"]!.GetValue<string>()));
        var first = seen[0];
        Assert.Equal("bed1", first["key"]!.GetValue<string>());
        Assert.Equal("cleared", first["state"]!.GetValue<string>()); // i = 2: 2 % 4 = 2, cleared
        Assert.Equal("raised", seen[1]["state"]!.GetValue<string>());
        long episodeStart = T0.AddMinutes(2).AddSeconds(-30).ToUnixTimeMilliseconds();
        Assert.Equal(episodeStart, first["episodeStart"]!.GetValue<long>());
        Assert.Equal($"spo2-low/bed1/{episodeStart}/cleared", first["idempotencyKey"]!.GetValue<string>());
        Assert.Equal(87, first["values"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == "spo2")!["value"]!.GetValue<double>());
    }

    [Fact]
    public async Task Alerts_without_a_rule_returns_every_rule_s_events()
    {
        await using var rig = await RigWithAlertsAsync();
        await using var c = await Client.ConnectAsync(rig.Port);
        var reply = await c.QueryAsync("gw1", Q("""{"op":"alerts"}"""));
        Assert.True(reply["ok"]!.GetValue<bool>(), reply.ToJsonString());
        Assert.Equal(10, reply["count"]!.GetValue<int>());
        Assert.Equal(5, reply["alerts"]!.AsArray().Count(a => a!["rule"]!.GetValue<string>() == "fever"));
    }

    [Theory]
    [InlineData("""{"op":"alerts","rule":"spo2-lo"}""", "unknown_rule", "'rule'")]
    [InlineData("""{"op":"alerts","rule":7}""", "invalid_request", "'rule'")]
    [InlineData("""{"op":"alerts","rul":"spo2-low"}""", "invalid_request", "'rul'")]
    [InlineData("""{"op":"alerts","sensor":"hr-1"}""", "invalid_request", "'sensor'")]
    [InlineData("""{"op":"alerts","limit":100000}""", "limit_too_large", "100000")]
    [InlineData("""{"op":"alerts","from":"yesterday"}""", "bad_range", "'from'")]
    [InlineData("""{"op":"alerts","from":"2026-11-29T09:00:00Z","to":"2026-11-29T08:00:00Z"}""", "bad_range", "'from'")]
    public async Task Bad_alerts_requests_get_an_error_naming_the_field(string request, string code, string names)
    {
        await using var rig = await RigWithAlertsAsync();
        await using var c = await Client.ConnectAsync(rig.Port);
        var reply = await c.QueryAsync("gw1", Q(request));
        Assert.False(reply["ok"]!.GetValue<bool>(), reply.ToJsonString());
        Assert.Equal(code, reply["error"]!["code"]!.GetValue<string>());
        Assert.Contains(names, reply["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_on_a_gateway_without_rules_says_so()
    {
        await using var rig = await LocalRig.StartAsync();
        await using var c = await Client.ConnectAsync(rig.Port);
        var reply = await c.QueryAsync("gw1", Q("""{"op":"rules"}"""));
        Assert.False(reply["ok"]!.GetValue<bool>(), reply.ToJsonString());
        Assert.Equal("unknown_rule", reply["error"]!["code"]!.GetValue<string>());
        Assert.Contains("no stream rules", reply["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_status_message_shows_the_raised_alerts_per_rule()
    {
        await using var rig = await LocalRig.StartAsync(rules: Rules);
        var status = await rig.RetainedStatusAsync();
        var alerts = status["alerts"]!;
        Assert.Equal(1, alerts["raised"]!.GetValue<int>());
        Assert.Equal(["spo2-bed1"], alerts["perRule"]!["spo2-low"]!["raisedKeys"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.Equal(0, alerts["perRule"]!["fever"]!["raised"]!.GetValue<int>());
    }
}
