using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Edge.FirmwareSim.Cli;
using Edge.Readings;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Edge.FirmwareSim.Tests;

public class CliTests
{
    [Fact]
    public async Task Run_plays_a_scenario_through_the_real_drivers_and_prints_what_each_device_reports()
    {
        var output = new StringWriter();
        int exit = await RunCommand.RunAsync(new CliArgs(["run", "fall", "--speed", "1", "--duration", "8s", "--format", "json"]), output, CancellationToken.None);
        Assert.Equal(0, exit);
        var readings = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(ReadingJsonCodec.Decode).ToList();
        Assert.Contains(readings, r => r.SensorId == "spo2-bed1" && r.Kind == ReadingKinds.SpO2);
        Assert.All(readings, r => Assert.Equal(ReadingQuality.Simulated, r.Quality));
        Assert.Contains("# scenario fall (seed 42)", output.ToString());
    }

    [Fact]
    public async Task Bad_arguments_name_the_option()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => RunCommand.RunAsync(new CliArgs(["run", "nope"]), TextWriter.Null, CancellationToken.None));
        Assert.StartsWith("unknown scenario 'nope'; known: default, rush-hour", e.Message);
        e = await Assert.ThrowsAsync<ArgumentException>(() => RunCommand.RunAsync(new CliArgs(["run", "default", "--speed", "fast"]), TextWriter.Null, CancellationToken.None));
        Assert.Equal("--speed must be a number between 0.01 and 10000, not 'fast'", e.Message);
        e = await Assert.ThrowsAsync<ArgumentException>(() => FleetCommand.RunAsync(new CliArgs(["fleet", "--broker", "localhost"]), TextWriter.Null, CancellationToken.None));
        Assert.Equal("--broker must be host:port, not 'localhost'", e.Message);
    }

    [Fact]
    public async Task Fleet_nodes_publish_valid_readings_with_QoS1_to_the_ingest_topics_and_count_refusals_by_reason()
    {
        int port = FreePort();
        var factory = new MqttServerFactory();
        var options = factory.CreateServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(IPAddress.Loopback).WithDefaultEndpointPort(port).Build();
        using var server = factory.CreateMqttServer(options);
        var received = new ConcurrentBag<(string Topic, Reading Reading, MqttQualityOfServiceLevel Qos)>();
        server.InterceptingPublishAsync += e =>
        {
            var reading = ReadingJsonCodec.Decode(e.ApplicationMessage.Payload.ToArray());
            received.Add((e.ApplicationMessage.Topic, reading, e.ApplicationMessage.QualityOfServiceLevel));
            if (reading.SensorId.StartsWith("node2-", StringComparison.Ordinal))
            {
                // The gateway refuses what it cannot store; the node must see and count the reason.
                e.ProcessPublish = false;
                e.Response.ReasonCode = MqttPubAckReasonCode.QuotaExceeded;
            }
            return Task.CompletedTask;
        };
        await server.StartAsync();
        var output = new StringWriter();
        int exit = await FleetCommand.RunAsync(new CliArgs(["fleet", "--broker", $"127.0.0.1:{port}", "--gateway", "gw1", "--nodes", "3", "--rate", "50", "--duration", "2s"]), output, CancellationToken.None);
        await server.StopAsync();

        Assert.Equal(0, exit);
        using var summary = JsonDocument.Parse(output.ToString());
        var root = summary.RootElement;
        Assert.Equal(3, root.GetProperty("nodes").GetInt32());
        long acked = root.GetProperty("acked").GetInt64(), refused = root.GetProperty("refused").GetInt64();
        Assert.Equal(received.Count, acked + refused);
        Assert.Equal(received.Count(r => r.Reading.SensorId.StartsWith("node2-", StringComparison.Ordinal)), refused);
        Assert.Equal(refused, root.GetProperty("refusals").GetProperty("QuotaExceeded").GetInt64());
        Assert.True(acked > 50, $"{acked} acknowledged");
        Assert.All(received, r =>
        {
            Assert.Equal($"edge/gw1/ingest/{r.Reading.SensorId}", r.Topic);
            Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, r.Qos);
        });
        // Per node, sequence numbers are consecutive from 0: nothing skipped, nothing repeated.
        foreach (var node in received.GroupBy(r => r.Reading.SensorId))
            Assert.Equal(Enumerable.Range(0, node.Count()).Select(i => (long)i), node.Select(r => r.Reading.Sequence).Order());
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
