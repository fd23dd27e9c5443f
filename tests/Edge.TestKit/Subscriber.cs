using System.Buffers;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Edge.TestKit;

/// <summary>
/// The cloud side in the tests: a QoS 1 subscriber with a persistent session that reconnects after broker restarts
/// and records every message with its idempotency key, in arrival order.
/// </summary>
public sealed class Subscriber : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly MqttClientOptions _options;
    private readonly List<Received> _messages = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly string _filter;
    private Task _reconnect = Task.CompletedTask;

    private Subscriber(int port, string filter, string clientId, (string User, string Password)? credentials)
    {
        _filter = filter;
        var builder = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500).WithCleanStart(false).WithSessionExpiryInterval(3600).WithTimeout(TimeSpan.FromSeconds(10));
        if (credentials is var (user, password)) builder = builder.WithCredentials(user, password);
        _options = builder.Build();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var m = e.ApplicationMessage;
            var payload = m.Payload.ToArray();
            string? property = m.UserProperties?.FirstOrDefault(p => p.Name == "edge-key") is { } up ? Encoding.UTF8.GetString(up.ValueBuffer.Span) : null;
            lock (_messages) _messages.Add(new Received(m.Topic, payload, property, DateTimeOffset.UtcNow, m.Dup));
            return Task.CompletedTask;
        };
    }

    public IReadOnlyList<Received> Messages
    {
        get { lock (_messages) return [.. _messages]; }
    }

    public static async Task<Subscriber> ConnectAsync(int port, string filter = "edge/#", string clientId = "test-cloud", (string User, string Password)? credentials = null)
    {
        var s = new Subscriber(port, filter, clientId, credentials);
        await s.ConnectOnceAsync();
        s._client.DisconnectedAsync += _ =>
        {
            if (!s._stop.IsCancellationRequested) s._reconnect = s.ReconnectAsync();
            return Task.CompletedTask;
        };
        return s;
    }

    /// <summary>Waits until <paramref name="condition"/> holds over the messages received so far.</summary>
    public async Task WaitFor(Func<IReadOnlyList<Received>, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(Messages))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}; received {Messages.Count} messages");
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds for as long as messages keep arriving: fails only when none arrived
    /// for <paramref name="idle"/> (or after <paramref name="max"/> in all). On a loaded CI machine the broker-to-
    /// subscriber path may be slower than the uplink; that is not a lost reading, a stall is.
    /// </summary>
    public async Task WaitWhileArriving(Func<IReadOnlyList<Received>, bool> condition, TimeSpan idle, string what, TimeSpan? max = null)
    {
        var deadline = DateTime.UtcNow + (max ?? TimeSpan.FromMinutes(10));
        int seen = -1;
        var quietSince = DateTime.UtcNow;
        while (true)
        {
            var messages = Messages;
            if (condition(messages)) return;
            var now = DateTime.UtcNow;
            if (messages.Count != seen) (seen, quietSince) = (messages.Count, now);
            if (now - quietSince > idle || now > deadline)
                throw new TimeoutException($"timed out waiting for {what}; received {messages.Count} messages, the last {(now - quietSince).TotalSeconds:F0} s ago");
            await Task.Delay(50);
        }
    }

    private async Task ConnectOnceAsync()
    {
        var result = await _client.ConnectAsync(_options);
        if (result.ResultCode != MqttClientConnectResultCode.Success) throw new InvalidOperationException($"subscriber: {result.ResultCode}");
        if (!result.IsSessionPresent) await _client.SubscribeAsync(_filter, MqttQualityOfServiceLevel.AtLeastOnce);
    }

    private async Task ReconnectAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await ConnectOnceAsync();
                return;
            }
            catch (Exception) when (!_stop.IsCancellationRequested)
            {
                await Task.Delay(100); // the broker is down: try again shortly
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            await _reconnect.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception)
        {
            // the broker is gone at the end of an outage test: nothing to reconnect to
        }
        if (_client.IsConnected)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)); // a paused or dying broker may not read it
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token);
            }
            catch (Exception)
            {
                // gone already: disposing closes the socket
            }
        }
        _client.Dispose();
    }
}

/// <summary>
/// A message as the cloud received it, with the idempotency key read from the payload. <paramref name="Dup"/> is the
/// broker's redelivery flag (MQTT 5 §3.3.1.1): set when it sends again what it had sent before a reconnect.
/// </summary>
public sealed record Received(string Topic, byte[] Payload, string? KeyProperty, DateTimeOffset At, bool Dup = false)
{
    private JsonElement? _json;
    private Edge.Uplink.Payload.IdempotencyKey? _records;

    public JsonElement Json => _json ??= JsonDocument.Parse(Payload).RootElement;

    /// <summary>The key of an "ER" records batch, read by the reference decoder; null for JSON payloads.</summary>
    private Edge.Uplink.Payload.IdempotencyKey? Records =>
        _records ??= Payload is [(byte)'E', (byte)'R', ..] ? RecordsBatchDecoder.Decode(Payload).Key : null;

    public string Key => Records?.ToString() ?? Json.GetProperty("key").GetString()!;

    public string LogTopic => Records?.Topic ?? Json.GetProperty("topic").GetString()!;

    public int Partition => Records?.Partition ?? Json.GetProperty("partition").GetInt32();

    public long First => Records?.First ?? Json.GetProperty("first").GetInt64();

    public long Last => Records?.Last ?? Json.GetProperty("last").GetInt64();

    public override string ToString() => $"{Topic} {Encoding.UTF8.GetString(Payload)}";
}
