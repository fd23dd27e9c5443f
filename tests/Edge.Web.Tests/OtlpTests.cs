using Edge.Web.Tests.TestKit;

namespace Edge.Web.Tests;

/// <summary>Metrics:Otlp:Endpoint pushes the same meters over OTLP/HTTP to a collector (here a receiver in the test).</summary>
public sealed class OtlpTests
{
    [Fact]
    public async Task Every_meter_is_pushed_over_OTLP_with_the_gateway_id_as_service_instance()
    {
        using var receiver = new OtlpReceiver();
        using var gateway = new WebGateway($"--Metrics:Otlp:Endpoint={receiver.Endpoint}", "--Metrics:Otlp:Interval=00:00:01");
        await gateway.WaitUntilServing();
        await MetricsTests.QueryOnce(gateway);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        Dictionary<string, string>? resource = null;
        string[] expected = ["edge.log.segments", "edge.log.disk_bytes", "edge.sensor.readings", "edge.sensor.degraded", "edge.mqtt.connections", "edge.ingest.accepted", "edge.query.duration"];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!expected.All(seen.Contains))
        {
            var export = await receiver.Exports.ReadAsync(cts.Token);
            seen.UnionWith(export.Metrics);
            resource = export.Resource;
        }
        Assert.Equal("edge-gateway", resource!["service.name"]);
        Assert.Equal(gateway.GatewayId, resource["service.instance.id"]);
        // The names pushed are the documented OpenTelemetry names, as /metrics has them.
        Assert.Empty(seen.Except(MetricsDoc.Rows.Select(r => r.Otel)));
    }

    [Fact]
    public async Task A_bad_OTLP_endpoint_is_refused_at_start_naming_the_key()
    {
        using var gateway = new WebGateway("--Metrics:Otlp:Endpoint=collector:4318");
        Assert.Equal(2, await gateway.Process.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("Metrics:Otlp:Endpoint: 'collector:4318' is not an http(s) URL", gateway.Process.Output, StringComparison.Ordinal);
    }
}
