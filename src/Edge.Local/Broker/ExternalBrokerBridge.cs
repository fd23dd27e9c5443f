using System.Buffers;
using System.Text.Json;
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
/// last will. Live readings need to know who subscribes, which only the embedded broker can see, so this mode does
/// not publish them.
/// </summary>
public sealed class ExternalBrokerBridge(BrokerOptions options, LocalApi api, ILogger logger) : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public void Start()
    {
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _loop = RunAsync(_stop.Token);
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(1);
        var o = options.External;
        var offline = JsonSerializer.SerializeToUtf8Bytes(new { gateway = api.Topics.GatewayId, online = false });
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
                    delay = TimeSpan.FromSeconds(1);
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
                logger.LogWarning("local broker {Host}:{Port}: {Error}; retrying in {Delay} s", o.Host, o.Port, e.Message, delay.TotalSeconds);
                try
                {
                    await Task.Delay(delay, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2));
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
        if (_client.IsConnected)
        {
            await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(api.Topics.Status).WithPayload(api.Status.ToUtf8(online: false)).WithRetainFlag()
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build()).ConfigureAwait(false);
            await _client.DisconnectAsync().ConfigureAwait(false);
        }
        _client.Dispose();
        _stop.Dispose();
    }
}
