using System.Text.Json.Nodes;
using Edge.Gateway.Tests.TestKit;
using Edge.Readings;

namespace Edge.Gateway.Tests;

/// <summary>The local MQTT API of the real gateway process, used with stock clients exactly as the README shows.</summary>
public class LocalApiTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static async Task<GatewayProcess> StartAsync(string logDir)
    {
        var gateway = new GatewayProcess(logDir, "--Gateway:StatusInterval=00:00:01", "--Broker:StatusInterval=00:00:01");
        await gateway.WaitForLine(l => l.Contains("local broker listening", StringComparison.Ordinal), Timeout);
        return gateway;
    }

    [Fact]
    public async Task Mosquitto_rr_sub_and_the_built_in_query_command_query_a_freshly_started_gateway()
    {
        Tool.EnsureMosquittoClients();
        using var dir = new TempDir();
        using var gateway = await StartAsync(Path.Combine(dir.Path, "log"));
        string port = gateway.BrokerPort.ToString();
        // The simulated oximeter needs a few seconds of PPG before its first reading: wait until the log holds some.
        await gateway.WaitForLine(l => System.Text.RegularExpressions.Regex.Match(l, @" health=(\d+)") is { Success: true } m && int.Parse(m.Groups[1].Value) >= 5, Timeout);

        // mosquitto_rr: MQTT 5 request/response with Response Topic.
        var rr = await Tool.RunAsync("mosquitto_rr", ["-h", "127.0.0.1", "-p", port, "-t", "edge/edge-dev/query", "-e", "reply/me", "-m", """{"op":"sensors"}""", "-W", "20"], Timeout);
        Assert.True(rr.Exit == 0, rr.Err);
        var sensors = JsonNode.Parse(rr.Out)!;
        Assert.True(sensors["ok"]!.GetValue<bool>());
        Assert.Contains(sensors["sensors"]!.AsArray(), s => s!["id"]!.GetValue<string>() == "spo2-bed1");

        // The retained status and the live readings with mosquitto_sub.
        var status = await Tool.RunAsync("mosquitto_sub", ["-V", "5", "-h", "127.0.0.1", "-p", port, "-t", "edge/edge-dev/status", "-C", "1", "-W", "20"], Timeout);
        Assert.True(JsonNode.Parse(status.Out)!["online"]!.GetValue<bool>(), status.Out + status.Err);
        var live = await Tool.RunAsync("mosquitto_sub", ["-V", "5", "-h", "127.0.0.1", "-p", port, "-t", "edge/edge-dev/live/health/spo2-bed1", "-C", "1", "-W", "30"], Timeout);
        Assert.Equal(ReadingKinds.SpO2, ReadingJsonCodec.Decode(live.Out.Trim()).Kind);

        // The built-in command, table and JSON.
        string dll = Path.Combine(AppContext.BaseDirectory, "edge-gateway.dll");
        var table = await Tool.RunAsync("dotnet", [dll, "query", "latest", "--sensor", "spo2-bed1", "-n", "3", "--port", port], Timeout);
        Assert.True(table.Exit == 0, table.Err);
        Assert.Contains("SENSOR", table.Out);
        Assert.Equal(3, table.Out.Split('\n').Count(l => l.Contains("spo2-bed1", StringComparison.Ordinal)));
        var json = await Tool.RunAsync("dotnet", [dll, "query", "range", "--topic", "health", "-n", "2", "--json", "--port", port], Timeout);
        Assert.Equal(2, JsonNode.Parse(json.Out)!["readings"]!.AsArray().Count);
        var unknown = await Tool.RunAsync("dotnet", [dll, "query", "latest", "--sensor", "nope", "--port", port], Timeout);
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("unknown_sensor", unknown.Err);
    }

    [Fact]
    public async Task An_ingested_reading_whose_PUBACK_arrived_survives_a_SIGKILL_right_after()
    {
        Tool.EnsureMosquittoClients();
        using var dir = new TempDir();
        string logDir = Path.Combine(dir.Path, "log");
        var sent = new List<Reading>();
        for (int round = 0; round < 3; round++)
        {
            using var gateway = await StartAsync(logDir);
            var reading = new Reading("node-1", ReadingKinds.Environment, DateTimeOffset.UtcNow, [new ReadingValue("temperature", 20 + round, "Cel")], ReadingQuality.Ok, round);
            // mosquitto_pub -q 1 exits only after the PUBACK; the gateway sends it only once the reading is durable.
            var pub = await Tool.RunAsync("mosquitto_pub", ["-V", "5", "-h", "127.0.0.1", "-p", gateway.BrokerPort.ToString(), "-q", "1",
                "-t", "edge/edge-dev/ingest/node-1", "-m", ReadingJsonCodec.Encode(reading)], Timeout);
            Assert.True(pub.Exit == 0, pub.Err);
            gateway.Crash();
            sent.Add(reading);
        }

        using var after = await StartAsync(logDir);
        var rr = await Tool.RunAsync("mosquitto_rr", ["-h", "127.0.0.1", "-p", after.BrokerPort.ToString(), "-t", "edge/edge-dev/query", "-e", "reply/me",
            "-m", """{"op":"latest","sensor":"node-1","n":10}""", "-W", "20"], Timeout);
        var stored = JsonNode.Parse(rr.Out)!["readings"]!.AsArray().Select(r => ReadingJsonCodec.Decode(r!["reading"]!.ToJsonString())).ToList();
        Assert.Equal(sent, stored);
    }
}
