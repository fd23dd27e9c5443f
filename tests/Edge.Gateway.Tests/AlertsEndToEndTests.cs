using System.Diagnostics;
using System.Text.Json.Nodes;
using Edge.Gateway.Tests.TestKit;
using Edge.Readings;

namespace Edge.Gateway.Tests;

/// <summary>
/// Issue 12 "Over MQTT", end to end: the real gateway's shipped rule spo2-low raises and clears an alert from readings
/// a remote oximeter sends to ingest, and stock MQTT clients (Debian mosquitto-clients) see it on the alert topic live
/// and retained, in {"op":"alerts"} and {"op":"rules"}, and the built-in query command prints it.
/// </summary>
public class AlertsEndToEndTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task An_alert_raised_and_cleared_by_the_shipped_rule_reaches_mosquitto_sub_live_and_retained_and_the_queries()
    {
        Tool.EnsureMosquittoClients();
        using var dir = new TempDir();
        // No local sensors: the ingested oximeter is the only input, so its readings alone decide the alert.
        using var gateway = new GatewayProcess(Path.Combine(dir.Path, "log"),
            ["--Hardware:Mode=simulated", "--Broker:StatusInterval=00:00:01", .. UplinkEndToEndTests.DefaultSensors().Select(id => $"--Sensors:{id}:Enabled=false")]);
        await gateway.WaitForLine(l => l.Contains("local broker listening", StringComparison.Ordinal), Timeout);
        string port = gateway.BrokerPort.ToString();

        // A dashboard subscribed before the alert: -d prints the SUBACK, so the readings go out only once it listens.
        // stdbuf -oL: mosquitto_sub writes through stdio, block-buffered into a pipe; line-buffered, each line comes at once.
        using var live = new ChildProcess(new ProcessStartInfo("stdbuf")
        {
            ArgumentList = { "-oL", "mosquitto_sub", "-d", "-V", "5", "-h", "127.0.0.1", "-p", port, "-t", "edge/edge-dev/alerts/spo2-low/+", "-v", "-W", "120" },
        });
        await live.WaitForLine(l => l.Contains("SUBACK", StringComparison.Ordinal), Timeout);

        // SpO2 86 % for 40 s (event time, one reading a second), then 97 %: spo2 < 90 for 30 s raises at the 31st
        // reading, spo2 >= 92 clears at the 41st (gateway/appsettings.json Rules:spo2-low).
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeMilliseconds()); // readings carry ms
        var lines = Enumerable.Range(0, 50).Select(i => ReadingJsonCodec.Encode(
            new Reading("node-spo2", ReadingKinds.SpO2, start.AddSeconds(i), [new ReadingValue("spo2", i < 40 ? 86 : 97, "%")], ReadingQuality.Ok, i)));
        string file = Path.Combine(dir.Path, "readings.jsonl");
        await File.WriteAllLinesAsync(file, lines);
        var pub = await Tool.RunAsync("bash", ["-c", $"mosquitto_pub -V 5 -h 127.0.0.1 -p {port} -q 1 -t edge/edge-dev/ingest/node-spo2 -l < '{file}'"], Timeout);
        Assert.True(pub.Exit == 0, pub.Err);

        const string topic = "edge/edge-dev/alerts/spo2-low/node-spo2";
        string cleared = await live.WaitForLine(l => l.StartsWith(topic + " ", StringComparison.Ordinal) && l.Contains("\"cleared\"", StringComparison.Ordinal), Timeout);
        var events = live.Output.Split('\n').Where(l => l.StartsWith(topic + " ", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l[(topic.Length + 1)..])!).ToList();
        Assert.Equal(["raised", "cleared"], events.Select(e => e["state"]!.GetValue<string>()));
        Assert.Equal(start.AddSeconds(30), events[0]["at"]!.GetValue<DateTimeOffset>());
        Assert.Equal(start.AddSeconds(40), events[1]["at"]!.GetValue<DateTimeOffset>());
        Assert.Equal($"spo2-low/node-spo2/{start.ToUnixTimeMilliseconds()}/raised", events[0]["idempotencyKey"]!.GetValue<string>());
        Assert.Contains("\"cleared\"", cleared, StringComparison.Ordinal);

        // A dashboard that subscribes now gets the current state, retained.
        var retained = await Tool.RunAsync("mosquitto_sub", ["-V", "5", "-h", "127.0.0.1", "-p", port, "-t", "edge/edge-dev/alerts/#", "-v", "-C", "1", "-W", "20", "-F", "%r %t %p"], Timeout);
        Assert.True(retained.Exit == 0, retained.Err);
        Assert.StartsWith("1 " + topic + " ", retained.Out, StringComparison.Ordinal); // %r: the retain flag
        Assert.Equal("cleared", JsonNode.Parse(retained.Out[("1 " + topic + " ").Length..])!["state"]!.GetValue<string>());

        // The stored events through the query topic, and the rules with their counters.
        var alerts = await Rr(port, """{"op":"alerts","rule":"spo2-low"}""");
        Assert.Equal(["raised", "cleared"], alerts["alerts"]!.AsArray().Select(a => a!["state"]!.GetValue<string>()));
        Assert.All(alerts["alerts"]!.AsArray(), a => Assert.Equal("alerts", a!["topic"]!.GetValue<string>()));
        var rules = await Rr(port, """{"op":"rules"}""");
        var spo2 = rules["rules"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "spo2-low")!;
        Assert.Equal("threshold", spo2["type"]!.GetValue<string>());
        Assert.Equal(50, spo2["matched"]!.GetValue<long>());
        Assert.Equal(0, spo2["raised"]!.GetValue<int>());
        var unknown = await Rr(port, """{"op":"alerts","rule":"spo2-lo"}""");
        Assert.Equal("unknown_rule", unknown["error"]!["code"]!.GetValue<string>());

        // The built-in command prints the same as tables.
        string dll = Path.Combine(AppContext.BaseDirectory, "edge-gateway.dll");
        var table = await Tool.RunAsync("dotnet", [dll, "query", "alerts", "--rule", "spo2-low", "--from", start.ToString("O"), "--port", port], Timeout);
        Assert.True(table.Exit == 0, table.Err);
        var rows = table.Out.Split('\n').Where(l => l.Contains("node-spo2", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains("raised", rows[0], StringComparison.Ordinal);
        Assert.Contains("cleared", rows[1], StringComparison.Ordinal);
        var ruleTable = await Tool.RunAsync("dotnet", [dll, "query", "rules", "--port", port], Timeout);
        Assert.True(ruleTable.Exit == 0, ruleTable.Err);
        Assert.Contains(ruleTable.Out.Split('\n'), l => l.StartsWith("spo2-low ", StringComparison.Ordinal) && l.Contains("threshold", StringComparison.Ordinal));
        var bad = await Tool.RunAsync("dotnet", [dll, "query", "alerts", "--rule", "nope", "--port", port], Timeout);
        Assert.Equal(1, bad.Exit);
        Assert.Contains("unknown_rule", bad.Err, StringComparison.Ordinal);
    }

    private static async Task<JsonNode> Rr(string port, string request)
    {
        var rr = await Tool.RunAsync("mosquitto_rr", ["-V", "5", "-h", "127.0.0.1", "-p", port, "-t", "edge/edge-dev/query", "-e", "reply/me", "-m", request, "-W", "20"], Timeout);
        Assert.True(rr.Exit == 0, rr.Err);
        return JsonNode.Parse(rr.Out)!;
    }
}
