using System.Text;
using Edge.Web.Tests.TestKit;
using MQTTnet;

namespace Edge.Web.Tests;

/// <summary><c>/metrics</c> through a real Prometheus parser, against the documented table (METRICS.md).</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_pass_promtool_and_every_family_is_documented_with_the_always_present_ones_there()
    {
        using var gateway = new WebGateway();
        await gateway.WaitUntilServing();
        await QueryOnce(gateway); // a query, so the query histogram has a series
        // The status line's "N total" counts durable appends: once it is above 0, the append counters have series.
        await gateway.Process.WaitForLine(l => System.Text.RegularExpressions.Regex.Match(l, @" ([0-9]+) total").Groups[1].Value is { Length: > 0 } n && n != "0", TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = gateway.Address };
        string text = await http.GetStringAsync("metrics");

        var (exit, said) = await Promtool.CheckMetrics(text);
        Assert.True(exit == 0, $"promtool check metrics exited {exit}:\n{said}\n--- scrape:\n{text}");

        var families = text.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).Where(n => n != "target_info").ToHashSet();
        var documented = MetricsDoc.Rows.Select(r => r.Prometheus).ToHashSet();
        Assert.Empty(families.Except(documented));
        var always = MetricsDoc.Rows.Where(r => r.When == "always").Select(r => r.Prometheus).ToList();
        Assert.True(always.Count >= 8, "the table lists the always-present series");
        Assert.Empty(always.Except(families));
        Assert.Contains("edge_query_duration_seconds", families);
        Assert.Contains("edge_log_records_appended_total", families);
        Assert.Matches(@"edge_sensor_readings_total\{[^}]*edge_sensor_id=""spo2-bed1""[^}]*\} [1-9]", text);
    }

    internal static async Task QueryOnce(WebGateway gateway)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", gateway.BrokerPort).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build());
        var reply = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += e => { reply.TrySetResult(Encoding.UTF8.GetString(e.ApplicationMessage.Payload)); return Task.CompletedTask; };
        await client.SubscribeAsync("reply/metrics-test");
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"edge/{gateway.GatewayId}/query").WithResponseTopic("reply/metrics-test")
            .WithPayload("""{"op":"sensors"}""").WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Contains("\"ok\":true", await reply.Task.WaitAsync(TimeSpan.FromSeconds(30)), StringComparison.Ordinal);
    }
}
