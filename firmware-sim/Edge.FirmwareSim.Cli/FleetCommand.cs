using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Edge.FirmwareSim.Cli.Synthetic;
using Edge.Readings;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Edge.FirmwareSim.Cli;

/// <summary>
/// `firmware-sim fleet`: N remote sensor nodes (as an ESP32 would) each connect to the gateway's broker and publish
/// JSON readings with QoS 1 to edge/&lt;gateway&gt;/ingest/&lt;sensorId&gt;, keeping a window of PUBACKs in flight.
/// A refused publish (an MQTT 5 reason code) is counted by reason, never retried as if accepted. Ends with one JSON
/// line of totals, for load tests and the ingest benchmark.
/// </summary>
public static class FleetCommand
{
    public static Command Create(TextWriter output)
    {
        var broker = new Option<(string Host, int Port)>("--broker")
        {
            Description = "the gateway's broker", HelpName = "host:port", DefaultValueFactory = _ => ("127.0.0.1", 1883),
            CustomParser = r => TryParseBroker(r.Tokens.Count > 0 ? r.Tokens[0].Value : "", out var endpoint) ? endpoint : Fail(r),
        };
        var gateway = new Option<string>("--gateway") { Description = "gateway id (topics edge/<gateway>/ingest/<sensor>)", DefaultValueFactory = _ => "edge-dev" };
        var nodes = CliOptions.WholeNumber("--nodes", "remote nodes, one MQTT client each", 10, 1, 10_000);
        var rate = CliOptions.Number("--rate", "readings per second per node", 10, 0.01, 100_000);
        var inFlight = CliOptions.WholeNumber("--in-flight", "publishes awaiting their PUBACK per node", 16, 1, 1000);
        var duration = CliOptions.Duration("--duration", "how long to publish (default 30s)");
        var protocol = new Option<string>("--protocol") { Description = "MQTT protocol version", DefaultValueFactory = _ => "5" };
        protocol.AcceptOnlyFromAmong("5", "3.1.1");
        var command = new Command("fleet", "simulate remote sensor nodes publishing readings to the gateway's ingest with QoS 1")
        {
            broker, gateway, nodes, rate, inFlight, duration, protocol,
        };
        command.SetAction((parsed, cancellationToken) =>
        {
            var (host, port) = parsed.GetValue(broker);
            var options = new FleetOptions
            {
                Host = host, Port = port, Gateway = parsed.GetValue(gateway)!, Nodes = parsed.GetValue(nodes), Rate = parsed.GetValue(rate),
                InFlight = parsed.GetValue(inFlight), Duration = parsed.GetValue(duration) ?? TimeSpan.FromSeconds(30), Mqtt311 = parsed.GetValue(protocol) == "3.1.1",
            };
            return RunAsync(options, output, cancellationToken);
        });
        return command;

        static (string, int) Fail(System.CommandLine.Parsing.ArgumentResult r)
        {
            r.AddError($"--broker must be host:port, not '{(r.Tokens.Count > 0 ? r.Tokens[0].Value : "")}'");
            return default;
        }
    }

    public static async Task<int> RunAsync(FleetOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        string host = options.Host, gateway = options.Gateway;
        int port = options.Port, nodes = options.Nodes, window = options.InFlight;
        double rate = options.Rate;
        bool v311 = options.Mqtt311;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(options.Duration);
        var stats = new FleetStats();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, nodes).Select(i => RunNodeAsync(i, host, port, gateway, rate, window, v311, stats, stop.Token))).ConfigureAwait(false);
        double seconds = watch.Elapsed.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"name\":\"fleet\",\"nodes\":{nodes},\"seconds\":{seconds:F2},\"published\":{stats.Published},\"acked\":{stats.Acked},\"refused\":{stats.Refused},\"errors\":{stats.Errors},\"acked_per_s\":{stats.Acked / seconds:F1},\"refusals\":{{{string.Join(",", stats.Reasons.Select(r => $"\"{r.Key}\":{r.Value}"))}}}}}"));
        return stats.Errors > 0 && stats.Acked == 0 ? 1 : 0;
    }

    private static async Task RunNodeAsync(int index, string host, int port, string gateway, double rate, int window, bool v311, FleetStats stats, CancellationToken stop)
    {
        var fleet = new SyntheticFleet(index);
        var (sensorBase, kind, _) = SyntheticFleet.Sensors[index % SyntheticFleet.Sensors.Count];
        string sensorId = $"node{index}-{sensorBase}";
        using var client = new MqttClientFactory().CreateMqttClient();
        var pending = new List<Task>();
        using var inFlight = new SemaphoreSlim(window);
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId($"fleet-{sensorId}")
            .WithProtocolVersion(v311 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        try
        {
            var connected = await client.ConnectAsync(options, stop).ConfigureAwait(false);
            if (connected.ResultCode != MqttClientConnectResultCode.Success)
            {
                stats.Error($"connect {connected.ResultCode}");
                return;
            }
            var interval = TimeSpan.FromSeconds(1 / rate);
            using var timer = new PeriodicTimer(interval < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : interval);
            long seq = 0;
            int perTick = Math.Max(1, (int)Math.Round(rate / 1000)); // above 1,000/s send several per 1 ms tick
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                for (int k = 0; k < perTick; k++)
                {
                    await inFlight.WaitAsync(stop).ConfigureAwait(false);
                    var sample = fleet.Next(index, DateTimeOffset.UtcNow);
                    var r = new Reading(sensorId, kind, sample.Timestamp, sample.Values, ReadingQuality.Simulated, seq++);
                    var message = new MqttApplicationMessageBuilder()
                        .WithTopic($"edge/{gateway}/ingest/{sensorId}")
                        .WithPayload(ReadingJsonCodec.EncodeUtf8(r))
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                        .Build();
                    stats.Publish();
                    pending.Add(PublishAsync(client, message, inFlight, stats));
                }
                pending.RemoveAll(t => t.IsCompleted);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or IOException)
        {
            stats.Error(e.GetType().Name);
        }
        finally
        {
            // Let the messages in flight get their PUBACKs before leaving: they are not errors, just the run's tail.
            try
            {
                await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
            if (client.IsConnected) await client.DisconnectAsync().ConfigureAwait(false);
        }
    }

    private static async Task PublishAsync(IMqttClient client, MqttApplicationMessage message, SemaphoreSlim inFlight, FleetStats stats)
    {
        try
        {
            var result = await client.PublishAsync(message, CancellationToken.None).ConfigureAwait(false);
            if (result.IsSuccess) stats.Ack();
            else stats.Refuse(result.ReasonCode.ToString());
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or MQTTnet.Exceptions.MqttClientNotConnectedException)
        {
            stats.Error(e.GetType().Name);
        }
        finally
        {
            inFlight.Release();
        }
    }

    private static bool TryParseBroker(string broker, out (string Host, int Port) endpoint)
    {
        int colon = broker.LastIndexOf(':');
        endpoint = default;
        if (colon <= 0 || !int.TryParse(broker[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535) return false;
        endpoint = (broker[..colon], port);
        return true;
    }

    private sealed class FleetStats
    {
        private long _published, _acked, _refused, _errors;

        public ConcurrentDictionary<string, long> Reasons { get; } = new();

        public long Published => Interlocked.Read(ref _published);

        public long Acked => Interlocked.Read(ref _acked);

        public long Refused => Interlocked.Read(ref _refused);

        public long Errors => Interlocked.Read(ref _errors);

        public void Publish() => Interlocked.Increment(ref _published);

        public void Ack() => Interlocked.Increment(ref _acked);

        public void Refuse(string reason)
        {
            Interlocked.Increment(ref _refused);
            Reasons.AddOrUpdate(reason, 1, (_, n) => n + 1);
        }

        public void Error(string what)
        {
            Interlocked.Increment(ref _errors);
            Reasons.AddOrUpdate(what, 1, (_, n) => n + 1);
        }
    }
}
