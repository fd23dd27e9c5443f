using System.Buffers;
using System.Text.Json;
using Edge.Readings.Retry;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Edge.Local.Broker;

/// <summary>
/// Broker:Mode Client — serves the same topics on a broker already on the device (e.g. Mosquitto) as an MQTT 5
/// client with a persistent session. Query requests and ingest readings arrive through QoS 1 subscriptions that are
/// acknowledged manually, after the reply was sent or the reading is durable, so a crash before that makes the broker
/// redeliver them. Access control is the external broker's (its ACL file); the status message carries an "offline"
/// last will. The stream rules' alerts are published retained, as the embedded broker does. Live readings need to know
/// who subscribes, which only the embedded broker can see, so this mode does not publish them.
/// </summary>
public sealed class ExternalBrokerBridge(BrokerOptions options, LocalApi api, ILogger logger) : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly CancellationTokenSource _stop = new();
    private readonly ReconnectBackoff _backoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeProvider.System);
    private Task _loop = Task.CompletedTask;
    private Task _alerts = Task.CompletedTask;
    // Completed while connected and subscribed; replaced by a pending one when the connection drops.
    private volatile TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Start()
    {
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += _ =>
        {
            if (_connected.Task.IsCompleted) _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
            return Task.CompletedTask;
        };
        _loop = RunAsync(_stop.Token);
        _alerts = AlertsAsync(_stop.Token);
    }

    // The stream rules' alerts, retained on the device's broker as the embedded one publishes them (QUERY.md "Alert
    // topics"). While the connection is down the feed waits (the log keeps what is not yet published) and the message
    // in hand is published once the main loop has reconnected.
    private async Task AlertsAsync(CancellationToken ct)
    {
        if (api.Alerts is not { } alerts) return;
        try
        {
            await foreach (var m in alerts.ReadAllAsync(ct).ConfigureAwait(false))
            {
                var message = new MqttApplicationMessageBuilder().WithTopic(m.Topic).WithPayload(m.Payload).WithRetainFlag()
                    .WithContentType("application/json").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
                while (true)
                {
                    await _connected.Task.WaitAsync(ct).ConfigureAwait(false);
                    try
                    {
                        await _client.PublishAsync(message, ct).ConfigureAwait(false);
                        break;
                    }
                    catch (MQTTnet.Exceptions.MqttCommunicationException) when (!_client.IsConnected)
                    {
                        // The connection dropped under the publish: wait for the main loop to reconnect, then send it again.
                        if (_connected.Task.IsCompleted) _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        int failures = 0;
        var o = options.External;
        var offline = OfflineStatus(api.Topics.GatewayId);
        var connect = new MqttClientOptionsBuilder().WithTcpServer(o.Host, o.Port).WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId($"edge-{api.Topics.GatewayId}-local").WithCleanStart(false).WithSessionExpiryInterval(3600)
            .WithWillTopic(api.Topics.Status).WithWillPayload(offline).WithWillRetain().WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (!string.IsNullOrEmpty(o.Username)) connect = connect.WithCredentials(o.Username, o.Password);
        var built = connect.Build();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    var result = await _client.ConnectAsync(built, ct).ConfigureAwait(false);
                    if (result.ResultCode != MqttClientConnectResultCode.Success)
                        throw new IOException($"broker {o.Host}:{o.Port} refused the connection: {result.ResultCode} {result.ReasonString}");
                    await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                        .WithTopicFilter(api.Topics.Query, MqttQualityOfServiceLevel.AtLeastOnce)
                        .WithTopicFilter(api.Topics.IngestPrefix + "+", MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct).ConfigureAwait(false);
                    logger.LogInformation("serving {Root}# on the broker at {Host}:{Port}", api.Topics.Root, o.Host, o.Port);
                    _connected.TrySetResult();
                    failures = 0;
                }
                await PublishStatusAsync(ct).ConfigureAwait(false);
                await Task.Delay(options.StatusInterval, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is IOException or MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
            {
                var delay = _backoff.Next(++failures);
                logger.LogWarning("local broker {Host}:{Port}: {Error}; retrying in {Delay:F1} s", o.Host, o.Port, e.Message, delay.TotalSeconds);
                try
                {
                    await _backoff.WaitAsync(delay, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        e.AutoAcknowledge = false;
        var msg = e.ApplicationMessage;
        var payload = msg.Payload.ToArray();
        if (msg.Topic == api.Topics.Query)
        {
            // The sender's client id is not visible through a broker: rate-limit per reply topic instead.
            var outcome = api.Queries.Handle(msg.ResponseTopic ?? "external", authorised: true, payload, msg.ResponseTopic);
            if (outcome.Reply is { } replyPayload)
            {
                var reply = new MqttApplicationMessageBuilder().WithTopic(outcome.ReplyTopic).WithPayload(replyPayload).WithContentType("application/json")
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
                if (msg.CorrelationData is { Length: > 0 } c) reply = reply.WithCorrelationData(c);
                await _client.PublishAsync(reply.Build()).ConfigureAwait(false);
            }
            else
            {
                logger.LogWarning("query without a usable reply topic ignored: {Problem}", outcome.Problem);
            }
        }
        else if (api.Topics.IngestSensor(msg.Topic) is { } sensor)
        {
            // The publisher is not visible through a broker, and the broker has acknowledged the reading to it already:
            // refusing it for its rate would only lose it. The broker's own limits apply instead.
            var result = await api.Ingest.IngestAsync(null, sensor, payload, _stop.Token).ConfigureAwait(false);
            if (result.Refusal == Ingest.IngestRefusal.StoreFailed)
            {
                // Not acknowledged: the persistent session redelivers it after we reconnect.
                logger.LogError("ingest from {Sensor} not stored: {Reason}; reconnecting so the broker redelivers it", sensor, result.Message);
                await _client.DisconnectAsync().ConfigureAwait(false);
                return;
            }
            if (!result.Ok) logger.LogWarning("refused ingest from {Sensor}: {Refusal} {Reason}", sensor, result.Refusal, result.Message);
        }
        await e.AcknowledgeAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task PublishStatusAsync(CancellationToken ct)
    {
        await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(api.Topics.Status).WithPayload(api.Status.ToUtf8(online: true)).WithRetainFlag()
            .WithContentType("application/json").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await _alerts.ConfigureAwait(false);
        if (_client.IsConnected)
        {
            await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(api.Topics.Status).WithPayload(api.Status.ToUtf8(online: false)).WithRetainFlag()
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build()).ConfigureAwait(false);
            await _client.DisconnectAsync().ConfigureAwait(false);
        }
        _client.Dispose();
        _stop.Dispose();
    }

    // {"gateway":...,"online":false}: the will message, written without reflection (trimmed and AOT builds).
    private static byte[] OfflineStatus(string gateway)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("gateway", gateway);
            w.WriteBoolean("online", false);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
