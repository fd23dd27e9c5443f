using System.Buffers;
using Edge.Local.Ingest;
using Microsoft.Extensions.Logging;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Edge.Local.Broker.Transport;

/// <summary>
/// QoS 1 ingest PUBLISHes, taken from MQTTnet's receive loop as they arrive so that a connection can have many
/// readings in flight. MQTTnet 5.2 cannot acknowledge a PUBLISH later without stalling the connection: its receive loop
/// (MqttConnectedClient.ReceivePackagesLoop) awaits HandleIncomingPublishPacket, which awaits the InterceptingPublish
/// handlers and only then queues the PUBACK built from their result — so a handler that waits for durability stops
/// the client's next packet from being read, one reading per fdatasync per connection. Here, in the inbound packet
/// interceptor, which runs before that, the reading is validated and appended at once (<see cref="IngestService.SubmitAsync"/>)
/// and its PUBACK is queued on the connection's <see cref="AckPipeline"/>, which sends PUBACKs in arrival order, each
/// once its reading is durable; MQTTnet never sees the packet. Any other QoS 1 or 2 PUBLISH on the connection first
/// waits until the pipeline has sent what is queued, so MQTTnet's own PUBACK cannot overtake ours (MQTT 5 §4.6).
/// </summary>
internal sealed class PipelinedIngest(LocalApi api, AccessPolicy access, GuardedTcpServerAdapter transport, ILogger logger)
{
    /// <summary>
    /// The topic of the QoS 0 stand-in handed to MQTTnet in place of a taken PUBLISH about once a second: MQTTnet's
    /// keep-alive check counts only packets it processed (MqttClientStatistics), and a node that only publishes
    /// readings sends no PINGREQ (MQTT 5 §3.1.2.10), so without it the node would be dropped after 1.5 keep-alives.
    /// The embedded broker drops it unseen; '$' topics are not for clients (MQTT 5 §4.7.2).
    /// </summary>
    public const string KeepAliveTopic = "$edge/keepalive";

    public async Task OnInboundPacketAsync(InterceptingPacketEventArgs e)
    {
        if (e.Packet is not MqttPublishPacket publish || publish.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtMostOnce) return;
        if (transport.AcksOf(e.RemoteEndPoint) is not { } acks) return;
        // A topic alias (empty topic) is resolved by MQTTnet after this interceptor: such readings take its path.
        if (publish.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtLeastOnce || api.Topics.IngestSensor(publish.Topic) is not { } sensor)
        {
            await acks.DrainAsync().WaitAsync(e.CancellationToken).ConfigureAwait(false);
            return;
        }
        var who = ClientIdentity.Of(e.SessionItems);
        string? refusal = who is null ? "this session was not authenticated" : access.PublishRefusal(who, publish.Topic);
        await acks.EnterAsync(e.CancellationToken).ConfigureAwait(false);
        try
        {
            if (refusal is not null)
            {
                acks.Enqueue(Task.FromResult(Refused(e, publish, MqttPubAckReasonCode.NotAuthorized, refusal)));
            }
            else
            {
                var payload = publish.Payload.IsSingleSegment ? publish.Payload.First : publish.Payload.ToArray();
                var durable = await api.Ingest.SubmitAsync(who!.RateKey, sensor, payload, e.CancellationToken).ConfigureAwait(false);
                acks.Enqueue(AcknowledgeAsync(e.ClientId, publish, durable));
            }
        }
        catch (Exception ex)
        {
            acks.Enqueue(Task.FromException<MqttPacket>(ex)); // frees its slot; the connection is ending (cancelled)
            throw;
        }
        if (acks.KeepAliveDue()) e.Packet = new MqttPublishPacket { Topic = KeepAliveTopic, QualityOfServiceLevel = MqttQualityOfServiceLevel.AtMostOnce };
        else e.ProcessPacket = false;
    }

    private async Task<MqttPacket> AcknowledgeAsync(string clientId, MqttPublishPacket publish, Task<IngestResult> durable)
    {
        var result = await durable.ConfigureAwait(false);
        if (result.Ok) return new MqttPubAckPacket { PacketIdentifier = publish.PacketIdentifier, ReasonCode = MqttPubAckReasonCode.Success };
        return Refused(clientId, publish, EmbeddedBroker.ReasonFor(result.Refusal), result.Message);
    }

    private MqttPacket Refused(InterceptingPacketEventArgs e, MqttPublishPacket publish, MqttPubAckReasonCode code, string reason) =>
        Refused(e.ClientId, publish, code, reason);

    private MqttPacket Refused(string clientId, MqttPublishPacket publish, MqttPubAckReasonCode code, string reason)
    {
        logger.LogWarning("refused PUBLISH of client {Client} to {Topic}: {Code} {Reason}", clientId, publish.Topic, code, reason);
        return new MqttPubAckPacket { PacketIdentifier = publish.PacketIdentifier, ReasonCode = code, ReasonString = EmbeddedBroker.Printable(reason) };
    }
}
