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
        int exit = await FirmwareSimCli.InvokeAsync(["run", "fall", "--speed", "1", "--duration", "8s", "--format", "json"], output, TextWriter.Null, CancellationToken.None);
        Assert.Equal(0, exit);
        var readings = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(ReadingJsonCodec.Decode).ToList();
        Assert.Contains(readings, r => r.SensorId == "spo2-bed1" && r.Kind == ReadingKinds.SpO2);
        Assert.All(readings, r => Assert.Equal(ReadingQuality.Simulated, r.Quality));
        Assert.Contains("# scenario fall (seed 42)", output.ToString());
    }

    [Theory]
    [InlineData("run nope", "firmware-sim: unknown scenario 'nope'; known: default, rush-hour")]
    [InlineData("run default --speed fast", "firmware-sim: --speed must be a number between 0.01 and 10000, not 'fast'")]
    [InlineData("run default --duration soon", "firmware-sim: --duration must be a duration such as 30s, 5m, 1h, 1d, 500ms, 90 (seconds) or 00:10:00, not 'soon'")]
    [InlineData("run default --format xml", "firmware-sim: Argument 'xml' not recognized. Must be one of:")]
    [InlineData("run default --sped 60", "firmware-sim: Unrecognized command or argument '--sped'.")]
    [InlineData("fleet --broker localhost", "firmware-sim: --broker must be host:port, not 'localhost'")]
    [InlineData("fleet --nodes 0", "firmware-sim: --nodes must be a whole number between 1 and 10000, not '0'")]
    [InlineData("flet", "firmware-sim: Unrecognized command or argument 'flet'.")]
    public async Task Bad_arguments_exit_2_with_a_message_naming_the_option(string args, string message)
    {
        var error = new StringWriter();
        int exit = await FirmwareSimCli.InvokeAsync(args.Split(' '), TextWriter.Null, error, CancellationToken.None);
        Assert.Equal(2, exit);
        Assert.Contains(message, error.ToString());
    }

    [Fact]
    public async Task Help_lists_every_option_of_a_command()
    {
        var output = new StringWriter();
        int exit = await FirmwareSimCli.InvokeAsync(["fleet", "--help"], output, TextWriter.Null, CancellationToken.None);
        Assert.Equal(0, exit);
        foreach (string option in new[] { "--broker", "--gateway", "--nodes", "--rate", "--in-flight", "--duration", "--protocol" })
            Assert.Contains(option, output.ToString());
    }

    [Fact]
    public async Task Fleet_nodes_publish_valid_readings_with_QoS1_to_the_ingest_topics_and_count_refusals_by_reason()
    {
        int port = FreePort.Get();
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
        int exit = await FirmwareSimCli.InvokeAsync(["fleet", "--broker", $"127.0.0.1:{port}", "--gateway", "gw1", "--nodes", "3", "--rate", "50", "--duration", "2s"], output, TextWriter.Null, CancellationToken.None);
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
}
