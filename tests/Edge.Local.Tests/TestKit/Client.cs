using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Edge.Local.Tests.TestKit;

/// <summary>An MQTT client of the rig's broker (MQTT 5 or 3.1.1) that sends queries and collects replies and messages.</summary>
public sealed class Client : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly string _replyTopic = $"replies/{Guid.NewGuid():N}";

    private Client(MqttProtocolVersion version) => Version = version;

    public MqttProtocolVersion Version { get; }

    public ConcurrentQueue<MqttApplicationMessage> Received { get; } = new();

    public event Action<MqttApplicationMessage>? MessageReceived;

    /// <summary>
    /// Connects (a random client id unless <paramref name="clientId"/> is given; <paramref name="sessionExpiry"/> &gt; 0 with
    /// <paramref name="cleanStart"/> false asks for a persistent session) and subscribes to its reply topic.
    /// </summary>
    public static async Task<Client> ConnectAsync(int port, MqttProtocolVersion version = MqttProtocolVersion.V500, string? user = null, string? password = null,
        string? clientId = null, bool cleanStart = true, uint sessionExpiry = 0)
    {
        var c = new Client(version);
        c._client.ApplicationMessageReceivedAsync += e =>
        {
            var m = e.ApplicationMessage;
            c.Received.Enqueue(m);
            c.MessageReceived?.Invoke(m);
            if (m.Topic == c._replyTopic)
            {
                var reply = JsonNode.Parse(m.ConvertPayloadToString())!;
                string id = m.CorrelationData is { Length: > 0 } cd ? Convert.ToHexString(cd) : reply["correlationId"]?.ToString() ?? "";
                if (c._pending.TryRemove(id, out var tcs)) tcs.TrySetResult(reply);
            }
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithProtocolVersion(version).WithClientId(clientId ?? $"t-{Guid.NewGuid():N}"[..20])
            .WithCleanStart(cleanStart).WithSessionExpiryInterval(sessionExpiry).WithTimeout(TimeSpan.FromSeconds(10));
        if (user is not null) options = options.WithCredentials(user, password);
        var result = await c._client.ConnectAsync(options.Build());
        c.ConnectResult = result.ResultCode;
        c.ConnectReason = result.ReasonString;
        c.SessionPresent = result.IsSessionPresent;
        c.MaximumPacketSize = result.MaximumPacketSize;
        if (result.ResultCode == MqttClientConnectResultCode.Success)
            c.SubscribeResult = (await c._client.SubscribeAsync(c._replyTopic, MqttQualityOfServiceLevel.AtLeastOnce)).Items.First().ResultCode;
        return c;
    }

    public MqttClientConnectResultCode ConnectResult { get; private set; }

    public string? ConnectReason { get; private set; }

    public bool SessionPresent { get; private set; }

    /// <summary>What the broker's CONNACK announced (MQTT 5), null or 0 when nothing.</summary>
    public uint? MaximumPacketSize { get; private set; }

    public MqttClientSubscribeResultCode SubscribeResult { get; private set; }

    public IMqttClient Mqtt => _client;

    /// <summary>Sends a query: MQTT 5 with Response Topic and Correlation Data, MQTT 3.1.1 with replyTo and correlationId in the JSON.</summary>
    public async Task<JsonNode> QueryAsync(string gateway, JsonObject request, TimeSpan? timeout = null)
    {
        string id = Guid.NewGuid().ToString("N");
        var tcs = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        var msg = new MqttApplicationMessageBuilder().WithTopic($"edge/{gateway}/query").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (Version == MqttProtocolVersion.V500)
        {
            _pending[id.ToUpperInvariant()] = tcs;
            msg = msg.WithResponseTopic(_replyTopic).WithCorrelationData(Convert.FromHexString(id));
        }
        else
        {
            _pending[id] = tcs;
            request = (JsonObject)request.DeepClone();
            request["replyTo"] = _replyTopic;
            request["correlationId"] = id;
        }
        await _client.PublishAsync(msg.WithPayload(request.ToJsonString()).Build());
        return await tcs.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(20));
    }

    public Task<MqttClientPublishResult> PublishAsync(string topic, byte[] payload, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(qos).Build());

    public async Task<MqttClientSubscribeResultCode> SubscribeAsync(string filter) =>
        (await _client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce)).Items.First().ResultCode;

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected) await _client.DisconnectAsync();
        _client.Dispose();
    }
}
