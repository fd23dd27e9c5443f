using System.Net;
using System.Text.Json;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Edge.Uplink.Tests.TestKit;

/// <summary>
/// An in-process MQTTnet broker on a free loopback port that refuses the first publish of chosen log offsets with a
/// PUBACK reason code (MQTT 5.0 §3.4.2.1), as a cloud broker over quota does, and takes everything else. Mosquitto
/// cannot be made to refuse one chosen message while accepting the ones behind it; this is only the fault source,
/// the uplink and the consumer are the real ones.
/// </summary>
public sealed class RefusingBroker : IAsyncDisposable
{
    private readonly MqttServer _server;
    private readonly HashSet<(string Topic, int Partition, long Offset)> _refuseOnce;
    private readonly MqttPubAckReasonCode _reason;
    private int _refused;

    public RefusingBroker(IEnumerable<(string Topic, int Partition, long Offset)> refuseOnce, MqttPubAckReasonCode reason)
    {
        _refuseOnce = [.. refuseOnce];
        _reason = reason;
        Port = FreePort.Get();
        var options = new MqttServerFactory().CreateServerOptionsBuilder().WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback).WithDefaultEndpointPort(Port).WithPersistentSessions().Build();
        _server = new MqttServerFactory().CreateMqttServer(options);
        _server.InterceptingPublishAsync += e =>
        {
            if (e.ApplicationMessage.Topic.StartsWith("edge/", StringComparison.Ordinal))
            {
                using var json = JsonDocument.Parse(e.ApplicationMessage.Payload);
                var root = json.RootElement;
                string topic = root.GetProperty("topic").GetString()!;
                int partition = root.GetProperty("partition").GetInt32();
                bool refuse = false;
                lock (_refuseOnce)
                    for (long o = root.GetProperty("first").GetInt64(); o <= root.GetProperty("last").GetInt64(); o++)
                        refuse |= _refuseOnce.Remove((topic, partition, o));
                if (refuse)
                {
                    Interlocked.Increment(ref _refused);
                    e.ProcessPublish = false;
                    e.Response.ReasonCode = _reason;
                    e.Response.ReasonString = "refused by the test";
                }
            }
            return Task.CompletedTask;
        };
    }

    public int Port { get; }

    public int Refused => Volatile.Read(ref _refused);

    public Task StartAsync() => _server.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        _server.Dispose();
    }
}
