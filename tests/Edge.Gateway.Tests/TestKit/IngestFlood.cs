using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Edge.Readings;
using MQTTnet;
using MQTTnet.Formatter;

namespace Edge.Gateway.Tests.TestKit;

/// <summary>
/// Remote nodes publishing readings to a gateway's ingest topic as fast as its PUBACKs allow: one MQTT 5
/// connection per node, QoS 1, each node one sensor id with consecutive sequence numbers, one publish in flight at a
/// time (so a node's readings are stored in its order). Records which sequence numbers were acknowledged (PUBACK
/// success: durable in the log) and which were refused, with when.
/// </summary>
public sealed class IngestFlood
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<long>> _acked = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _refusals = new();
    private readonly ConcurrentQueue<TimeSpan> _ackTimes = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Acknowledged sequence numbers per sensor id, in acknowledgement order.</summary>
    public IReadOnlyDictionary<string, long[]> Acked => _acked.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>Every refusal or failure, as "sensor seq: reason".</summary>
    public IReadOnlyList<string> Refusals => [.. _refusals];

    /// <summary>When each acknowledgement arrived, from the creation of the flood.</summary>
    public IReadOnlyList<TimeSpan> AckTimes => [.. _ackTimes];

    /// <summary>
    /// Publishes readings of <paramref name="kind"/> as sensor <paramref name="sensorId"/> until <paramref name="until"/>
    /// is cancelled or <paramref name="maxReadings"/> are sent; <paramref name="values"/> named values per reading.
    /// </summary>
    public async Task RunNodeAsync(int port, string gatewayId, string sensorId, string kind, int values, long maxReadings, CancellationToken until)
    {
        var acked = _acked.GetOrAdd(sensorId, _ => new ConcurrentQueue<long>());
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(sensorId)
            .WithProtocolVersion(MqttProtocolVersion.V500).WithTimeout(TimeSpan.FromSeconds(30)).Build(), CancellationToken.None);
        var named = Enumerable.Range(0, values).Select(i => $"v{i:D2}").ToArray();
        string topic = $"edge/{gatewayId}/ingest/{sensorId}";
        for (long seq = 0; seq < maxReadings && !until.IsCancellationRequested; seq++)
        {
            var reading = new Reading(sensorId, kind, DateTimeOffset.UtcNow, named.Select((n, i) => new ReadingValue(n, seq + i * 0.5, "mm")).ToArray(), ReadingQuality.Ok, seq);
            var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(ReadingJsonCodec.EncodeUtf8(reading))
                .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build();
            try
            {
                var result = await client.PublishAsync(message, CancellationToken.None);
                if (result.IsSuccess)
                {
                    acked.Enqueue(seq);
                    _ackTimes.Enqueue(_clock.Elapsed);
                }
                else
                {
                    _refusals.Enqueue($"{sensorId} {seq}: {result.ReasonCode} {result.ReasonString}");
                }
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
            {
                // The gateway went away (exit, crash): that is what the test is about; record it and stop this node.
                _refusals.Enqueue($"{sensorId} {seq}: {e.GetType().Name} {e.Message}");
                return;
            }
        }
        await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
    }

    /// <summary>The retained status message of the gateway, fetched by a fresh subscription.</summary>
    public static async Task<string> StatusAsync(int port, string gatewayId, TimeSpan timeout)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += e =>
        {
            received.TrySetResult(Encoding.UTF8.GetString(e.ApplicationMessage.Payload));
            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithProtocolVersion(MqttProtocolVersion.V500).Build());
        await client.SubscribeAsync($"edge/{gatewayId}/status");
        return await received.Task.WaitAsync(timeout);
    }
}
