using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Edge.Local.Broker.Transport;
using Edge.Local.Ingest;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Edge.Local.Broker;

/// <summary>
/// The gateway's own MQTT broker (MQTTnet.Server). It authenticates (anonymous only from loopback, else a
/// configured user whose password matches its PBKDF2 hash, with failed logins throttled), binds each client id to the
/// identity that first used it, enforces roles on every PUBLISH and SUBSCRIBE with MQTT 5 reason codes, answers
/// queries, stores ingested readings before their PUBACK, keeps the retained status message fresh and publishes live
/// readings while someone subscribes and the stream rules' alerts, retained. It serves the topics itself, so a query never leaves the process and an ingest
/// PUBACK means "durable in the log". What one client may cost is bounded: connections, packet size, queued messages
/// and bytes, session lifetime (BrokerOptions).
/// </summary>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    /// <summary>
    /// The client id the gateway publishes its own messages under. Client ids starting with '$' are refused to clients
    /// (MQTT 5 §4.7.2 keeps '$' for the server), so no client can pass for the gateway.
    /// </summary>
    public const string SenderId = "$edge";

    private readonly BrokerOptions _options;
    private readonly LocalApi _api;
    private readonly AccessPolicy _access;
    private readonly ILogger _logger;
    private readonly MqttServer _server;
    private readonly SessionBounds _sessions;
    private readonly CancellationTokenSource _stop = new();
    private Task _background = Task.CompletedTask;

    /// <param name="webSockets">MQTT over WebSocket from the gateway's web server, served with the TCP listeners (null: TCP only).</param>
    public EmbeddedBroker(BrokerOptions options, LocalApi api, ILogger logger, TimeProvider? time = null, WebSocketServerAdapter? webSockets = null)
    {
        _options = options;
        _api = api;
        _access = new AccessPolicy(api.Topics);
        _logger = logger;
        // The MqttServer owns its adapters: MqttServer.Dispose disposes each one (MQTTnet), and DisposeAsync disposes it.
#pragma warning disable CA2000
        var adapter = new GuardedTcpServerAdapter(options, options.Tls.Enabled ? LoadCertificate(options.Tls) : null, api.BrokerCounters, logger,
            api.Ingest.Options.MaxPendingPerConnection, api.Ingest.Options.MaxPending);
        _server = new MqttServerFactory().CreateMqttServer(BuildOptions(options), webSockets is null ? [adapter] : [adapter, webSockets]);
#pragma warning restore CA2000
        _sessions = new SessionBounds(options, _server, api.BrokerCounters, logger);
        _sessions.Expired += id => SessionExpired?.Invoke(id);
        var gate = new ConnectionGate(options, api.Topics.GatewayId, _server, api.BrokerCounters, logger, time ?? TimeProvider.System);
        _server.ValidatingConnectionAsync += gate.ValidateAsync;
        _server.ClientConnectedAsync += e =>
        {
            _sessions.Connected(e.ClientId);
            return gate.OnConnectedAsync(e);
        };
        _server.InterceptingInboundPacketAsync += new PipelinedIngest(api, _access, adapter, logger).OnInboundPacketAsync;
        _server.InterceptingPublishAsync += OnPublishAsync;
        _server.InterceptingSubscriptionAsync += OnSubscribingAsync;
        _server.InterceptingClientEnqueueAsync += _sessions.OnEnqueueAsync;
        // MQTT 5 §3.2.2.3.6: CONNACK announces the largest packet we accept, so a client sends none larger (MQTTnet
        // leaves it "unlimited" and has no option for it). 3.1.1 clients learn it when the connection closes.
        _server.InterceptingOutboundPacketAsync += e =>
        {
            if (e.Packet is MqttConnAckPacket ack)
            {
                ack.MaximumPacketSize = (uint)options.MaxPacketBytes;
                ack.ReceiveMaximum = (ushort)api.Ingest.Options.MaxPendingPerConnection; // §3.2.2.3.3: QoS 1 readings we take in flight
            }
            return Task.CompletedTask;
        };
        _server.SessionDeletedAsync += e => { _sessions.Deleted(e.Id); return Task.CompletedTask; };
        _server.ClientSubscribedTopicAsync += e => { _api.Live.Subscribed(e.ClientId, e.TopicFilter.Topic); return Task.CompletedTask; };
        _server.ClientUnsubscribedTopicAsync += e => { _api.Live.Unsubscribed(e.ClientId, e.TopicFilter); return Task.CompletedTask; };
        _server.ClientDisconnectedAsync += e =>
        {
            _sessions.Disconnected(e.ClientId, e.DisconnectType);
            _api.Live.Disconnected(e.ClientId);
            return Task.CompletedTask;
        };
    }

    /// <summary>Raised (on the sweep's task) with the client id of a disconnected session dropped after Broker:SessionExpiry.</summary>
    public event Action<string>? SessionExpired;

    public async Task StartAsync()
    {
        await _server.StartAsync().ConfigureAwait(false);
        _logger.LogInformation("local broker listening on {Address}:{Port}{Tls}; query with: mosquitto_rr -h {Host} -t {Query} -e reply/me -m '{{\"op\":\"sensors\"}}'",
            _options.ListenAddress, _options.Port, _options.Tls.Enabled ? $" and TLS :{_options.Tls.Port}" : "",
            _options.LocalAddress, _api.Topics.Query);
        await PublishStatusAsync(online: true).ConfigureAwait(false);
        _background = Task.WhenAll(StatusLoopAsync(_stop.Token), LiveLoopAsync(_stop.Token), AlertLoopAsync(_stop.Token), _sessions.SweepLoopAsync(_stop.Token));
    }

    public async Task StopAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _background.ConfigureAwait(false);
        await PublishStatusAsync(online: false).ConfigureAwait(false);
        await _server.StopAsync(new MqttServerStopOptions()).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _server.Dispose();
        _stop.Dispose();
    }

    private static MqttServerOptions BuildOptions(BrokerOptions o)
    {
        // Listeners are GuardedTcpServerAdapter's; the timeout bounds how long a connection may take to send its CONNECT.
        var options = new MqttServerFactory().CreateServerOptionsBuilder().WithPersistentSessions().WithMaxPendingMessagesPerClient(o.MaxQueuedMessagesPerSession)
            .WithDefaultCommunicationTimeout(o.ConnectTimeout).Build();
        // MQTTnet encodes a packet's header into a per-connection buffer and sends the payload from where it lies, so
        // the buffer needs only header room (topic and properties: a few hundred bytes); one that grew past the maximum
        // for a huge header is shrunk back after that packet, so an idle connection holds at most the initial size.
        options.WriterBufferSize = 4 * 1024;
        options.WriterBufferSizeMax = 64 * 1024;
        return options;
    }

    private static X509Certificate2 LoadCertificate(BrokerTlsOptions tls)
    {
        using var pem = X509Certificate2.CreateFromPemFile(tls.CertificateFile, tls.KeyFile);
        // SslStream on Linux needs the key in a PKCS#12-backed certificate, not an ephemeral PEM one.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private Task OnSubscribingAsync(InterceptingSubscriptionEventArgs e)
    {
        var role = ClientIdentity.Of(e.SessionItems)?.Role;
        if (role is { } r && _access.CanSubscribe(r, e.TopicFilter.Topic)) return Task.CompletedTask;
        e.ProcessSubscription = false;
        e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        e.Response.ReasonString = $"role {role?.ToString().ToLowerInvariant() ?? "none"} may not subscribe to '{e.TopicFilter.Topic}'";
        _logger.LogWarning("refused subscription of client {Client} to {Filter}: {Reason}", e.ClientId, e.TopicFilter.Topic, e.Response.ReasonString);
        return Task.CompletedTask;
    }

    private async Task OnPublishAsync(InterceptingPublishEventArgs e)
    {
        // Our own replies, status and live readings are injected with the server's session items; a client can never
        // have those, whatever id it claims.
        if (ReferenceEquals(e.SessionItems, _server.ServerSessionItems)) return;
        var msg = e.ApplicationMessage;
        if (msg.Topic == PipelinedIngest.KeepAliveTopic)
        {
            e.ProcessPublish = false; // PipelinedIngest's stand-in for a reading it took, or a client's publish to a '$' topic: neither goes anywhere
            return;
        }
        var who = ClientIdentity.Of(e.SessionItems);
        string? refusal = who is null ? "this session was not authenticated" : _access.PublishRefusal(who, msg.Topic);
        if (msg.Topic == _api.Topics.Query)
        {
            e.ProcessPublish = false;
            await AnswerAsync(e, msg, who?.RateKey ?? e.ClientId, refusal is null).ConfigureAwait(false);
            return;
        }
        if (refusal is not null)
        {
            Refuse(e, MqttPubAckReasonCode.NotAuthorized, refusal);
            return;
        }
        if (_api.Topics.IngestSensor(msg.Topic) is { } sensor)
        {
            e.ProcessPublish = false;
            var result = await _api.Ingest.IngestAsync(who!.RateKey, sensor, msg.Payload.IsSingleSegment ? msg.Payload.First : msg.Payload.ToArray(), e.CancellationToken).ConfigureAwait(false);
            if (!result.Ok) Refuse(e, ReasonFor(result.Refusal), result.Message);
        }
    }

    private async Task AnswerAsync(InterceptingPublishEventArgs e, MqttApplicationMessage msg, string rateKey, bool allowed)
    {
        var payload = msg.Payload.IsSingleSegment ? msg.Payload.FirstSpan : msg.Payload.ToArray();
        var outcome = _api.Queries.Handle(rateKey, allowed, payload, msg.ResponseTopic);
        if (outcome.Problem is { } problem)
        {
            Refuse(e, allowed ? MqttPubAckReasonCode.PayloadFormatInvalid : MqttPubAckReasonCode.NotAuthorized, problem);
            return;
        }
        if (!allowed) e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
        var reply = new MqttApplicationMessageBuilder().WithTopic(outcome.ReplyTopic).WithPayload(outcome.Reply!.Value) // set whenever Problem is not
            .WithContentType("application/json").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (msg.CorrelationData is { Length: > 0 } correlation) reply = reply.WithCorrelationData(correlation);
        await InjectAsync(reply.Build()).ConfigureAwait(false);
    }

    private void Refuse(InterceptingPublishEventArgs e, MqttPubAckReasonCode code, string reason)
    {
        e.ProcessPublish = false;
        e.Response.ReasonCode = code;
        e.Response.ReasonString = Printable(reason);
        _logger.LogWarning("refused PUBLISH of client {Client} to {Topic}: {Code} {Reason}", e.ClientId, e.ApplicationMessage.Topic, code, reason);
    }

    // A reason string may quote the offending payload; MQTT strings must be valid UTF-8 without control characters
    // (MQTT 5 §1.5.4), and a PUBACK should stay small.
    internal static string Printable(string reason)
    {
        var chars = reason.Select(c => char.IsControl(c) || char.IsSurrogate(c) || c == '\uFFFD' ? '?' : c).Take(256).ToArray();
        return new string(chars);
    }

    internal static MqttPubAckReasonCode ReasonFor(IngestRefusal refusal) => refusal switch
    {
        IngestRefusal.TooLarge or IngestRefusal.TooManySensors or IngestRefusal.RateLimited => MqttPubAckReasonCode.QuotaExceeded,
        IngestRefusal.BadTopic => MqttPubAckReasonCode.TopicNameInvalid,
        IngestRefusal.UnknownSensor => MqttPubAckReasonCode.NotAuthorized,
        IngestRefusal.StoreFailed => MqttPubAckReasonCode.UnspecifiedError,
        _ => MqttPubAckReasonCode.PayloadFormatInvalid,
    };

    private async Task StatusLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.StatusInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false)) await PublishStatusAsync(online: true).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task LiveLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var m in _api.Live.Messages.ReadAllAsync(ct).ConfigureAwait(false))
                await InjectAsync(new MqttApplicationMessageBuilder().WithTopic(m.Topic).WithPayload(m.Payload).WithContentType("application/json").Build()).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Retained, QoS 1: a subscriber that comes later gets each rule and key's current state (QUERY.md "Alert topics").
    private async Task AlertLoopAsync(CancellationToken ct)
    {
        if (_api.Alerts is not { } alerts) return;
        try
        {
            await foreach (var m in alerts.ReadAllAsync(ct).ConfigureAwait(false))
                await InjectAsync(new MqttApplicationMessageBuilder().WithTopic(m.Topic).WithPayload(m.Payload).WithRetainFlag()
                    .WithContentType("application/json").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build()).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task PublishStatusAsync(bool online)
    {
        await InjectAsync(new MqttApplicationMessageBuilder().WithTopic(_api.Topics.Status).WithPayload(_api.Status.ToUtf8(online))
            .WithRetainFlag().WithContentType("application/json").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build()).ConfigureAwait(false);
    }

    private Task InjectAsync(MqttApplicationMessage message) =>
        _server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = SenderId, CustomSessionItems = _server.ServerSessionItems });
}
