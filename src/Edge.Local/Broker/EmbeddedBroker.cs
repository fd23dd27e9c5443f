using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Edge.Local.Ingest;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Edge.Local.Broker;

/// <summary>
/// The gateway's own MQTT broker (MQTTnet.Server). It authenticates (anonymous only from loopback, else a
/// configured user whose password matches its PBKDF2 hash), enforces roles on every PUBLISH and SUBSCRIBE with
/// MQTT 5 reason codes, answers queries, stores ingested readings before their PUBACK, keeps the retained status
/// message fresh and publishes live readings while someone subscribes. It serves the topics itself, so a query never
/// leaves the process and an ingest PUBACK means "durable in the log".
/// </summary>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    public const string SenderId = "$edge";

#pragma warning disable CS0067
    public event Action<string>? SessionExpired;
#pragma warning restore CS0067

    private readonly BrokerOptions _options;
    private readonly LocalApi _api;
    private readonly AccessPolicy _access;
    private readonly ILogger _logger;
    private readonly MqttServer _server;
    private readonly CancellationTokenSource _stop = new();
    private Task _background = Task.CompletedTask;

    public EmbeddedBroker(BrokerOptions options, LocalApi api, ILogger logger)
    {
        _options = options;
        _api = api;
        _access = new AccessPolicy(api.Topics);
        _logger = logger;
        _server = new MqttServerFactory().CreateMqttServer(BuildOptions(options));
        _server.ValidatingConnectionAsync += ValidateAsync;
        _server.InterceptingPublishAsync += OnPublishAsync;
        _server.InterceptingSubscriptionAsync += OnSubscribingAsync;
        _server.ClientSubscribedTopicAsync += e => { _api.Live.Subscribed(e.ClientId, e.TopicFilter.Topic); return Task.CompletedTask; };
        _server.ClientUnsubscribedTopicAsync += e => { _api.Live.Unsubscribed(e.ClientId, e.TopicFilter); return Task.CompletedTask; };
        _server.ClientDisconnectedAsync += e => { _api.Live.Disconnected(e.ClientId); return Task.CompletedTask; };
    }

    public async Task StartAsync()
    {
        await _server.StartAsync().ConfigureAwait(false);
        _logger.LogInformation("local broker listening on {Address}:{Port}{Tls}; query with: mosquitto_rr -h {Host} -t {Query} -e reply/me -m '{{\"op\":\"sensors\"}}'",
            _options.ListenAddress, _options.Port, _options.Tls.Enabled ? $" and TLS :{_options.Tls.Port}" : "",
            _options.LocalAddress, _api.Topics.Query);
        await PublishStatusAsync(online: true).ConfigureAwait(false);
        _background = Task.WhenAll(StatusLoopAsync(_stop.Token), LiveLoopAsync(_stop.Token));
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
        var b = new MqttServerFactory().CreateServerOptionsBuilder().WithPersistentSessions().WithMaxPendingMessagesPerClient(10_000);
        if (o.Port > 0) b = b.WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(IPAddress.Parse(o.ListenAddress)).WithDefaultEndpointPort(o.Port);
        else b = b.WithoutDefaultEndpoint();
        if (o.Tls.Enabled)
        {
            using var pem = X509Certificate2.CreateFromPemFile(o.Tls.CertificateFile, o.Tls.KeyFile);
            // SslStream on Linux needs the key in a PKCS#12-backed certificate, not an ephemeral PEM one.
            var cert = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            b = b.WithEncryptedEndpoint().WithEncryptedEndpointBoundIPAddress(IPAddress.Parse(o.ListenAddress)).WithEncryptedEndpointPort(o.Tls.Port)
                .WithEncryptionCertificate(cert);
        }
        return b.Build();
    }

    private Task ValidateAsync(ValidatingConnectionEventArgs e)
    {
        // MQTT 5 §3.1.3.1 / 3.1.1 §3.1.3.1: an empty client id asks the server to assign one (mosquitto_rr and
        // mosquitto_sub send none).
        if (string.IsNullOrEmpty(e.ClientId)) e.AssignedClientIdentifier = "auto-" + Guid.NewGuid().ToString("N");
        bool loopback = e.RemoteEndPoint is IPEndPoint ip && IPAddress.IsLoopback(ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address);
        if (string.IsNullOrEmpty(e.UserName))
        {
            if (loopback)
            {
                SessionRole.Set(e.SessionItems, _options.LoopbackRole);
                return Task.CompletedTask;
            }
            e.ReasonCode = MqttConnectReasonCode.NotAuthorized;
            e.ReasonString = "anonymous access is only allowed from the device itself; log in with a user from Broker:Users";
        }
        else if (_options.Users.TryGetValue(e.UserName, out var user) && PasswordHash.Verify(e.Password, user.PasswordHash))
        {
            SessionRole.Set(e.SessionItems, user.Role);
            return Task.CompletedTask;
        }
        else
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            e.ReasonString = "unknown user or wrong password";
        }
        _logger.LogWarning("refused connection of client {Client} from {Endpoint} (user '{User}'): {Reason}", e.ClientId, e.RemoteEndPoint, e.UserName, e.ReasonString);
        return Task.CompletedTask;
    }

    private Task OnSubscribingAsync(InterceptingSubscriptionEventArgs e)
    {
        var role = SessionRole.Get(e.SessionItems);
        if (_access.CanSubscribe(role, e.TopicFilter.Topic)) return Task.CompletedTask;
        e.ProcessSubscription = false;
        e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        e.Response.ReasonString = $"role {role} may not subscribe to '{e.TopicFilter.Topic}'";
        _logger.LogWarning("refused subscription of client {Client} to {Filter}: {Reason}", e.ClientId, e.TopicFilter.Topic, e.Response.ReasonString);
        return Task.CompletedTask;
    }

    private async Task OnPublishAsync(InterceptingPublishEventArgs e)
    {
        if (e.ClientId == SenderId) return; // our own replies, status and live readings
        var msg = e.ApplicationMessage;
        var role = SessionRole.Get(e.SessionItems);
        bool allowed = _access.CanPublish(role, msg.Topic);
        if (msg.Topic == _api.Topics.Query)
        {
            e.ProcessPublish = false;
            await AnswerAsync(e, msg, allowed).ConfigureAwait(false);
            return;
        }
        if (!allowed)
        {
            Refuse(e, MqttPubAckReasonCode.NotAuthorized, $"role {role} may not publish to '{msg.Topic}'");
            return;
        }
        if (_api.Topics.IngestSensor(msg.Topic) is { } sensor)
        {
            e.ProcessPublish = false;
            var result = await _api.Ingest.IngestAsync(sensor, msg.Payload.IsSingleSegment ? msg.Payload.First : msg.Payload.ToArray(), e.CancellationToken).ConfigureAwait(false);
            if (!result.Ok) Refuse(e, ReasonFor(result.Refusal), result.Message);
        }
    }

    private async Task AnswerAsync(InterceptingPublishEventArgs e, MqttApplicationMessage msg, bool allowed)
    {
        var payload = msg.Payload.IsSingleSegment ? msg.Payload.FirstSpan : msg.Payload.ToArray();
        var outcome = _api.Queries.Handle(e.ClientId, allowed, payload, msg.ResponseTopic);
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
    private static string Printable(string reason)
    {
        var chars = reason.Select(c => char.IsControl(c) || char.IsSurrogate(c) || c == '\uFFFD' ? '?' : c).Take(256).ToArray();
        return new string(chars);
    }

    private static MqttPubAckReasonCode ReasonFor(IngestRefusal refusal) => refusal switch
    {
        IngestRefusal.TooLarge => MqttPubAckReasonCode.QuotaExceeded,
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

    private async Task PublishStatusAsync(bool online)
    {
        await InjectAsync(new MqttApplicationMessageBuilder().WithTopic(_api.Topics.Status).WithPayload(_api.Status.ToUtf8(online))
            .WithRetainFlag().WithContentType("application/json").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build()).ConfigureAwait(false);
    }

    private Task InjectAsync(MqttApplicationMessage message) =>
        _server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = SenderId });
}
