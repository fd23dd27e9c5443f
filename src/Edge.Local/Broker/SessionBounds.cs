using System.Collections.Concurrent;
using Edge.Local.Status;
using Microsoft.Extensions.Logging;
using MQTTnet.Server;

namespace Edge.Local.Broker;

/// <summary>
/// Bounds what persistent sessions keep for clients that went away. MQTTnet holds a disconnected session and its
/// queue in memory as long as the client asked (MQTT 3.1.1 sessions and an expiry of 0xFFFFFFFF: for ever — MQTTnet
/// even drops an expired session only when its client id connects again). Here a disconnected session lives at most
/// Broker:SessionExpiry (swept on a timer), and while its client is away it queues at most
/// Broker:MaxQueuedBytesPerSession bytes of messages; later ones are not queued for it (QoS 1 to a client that is
/// gone: MQTT 5 §4.3.2 lets the server drop them when its queue is full). The count bound is MQTTnet's own
/// (Broker:MaxQueuedMessagesPerSession, oldest dropped first).
/// </summary>
internal sealed class SessionBounds(BrokerOptions options, MqttServer server, BrokerCounters counters, ILogger logger)
{
    private readonly ConcurrentDictionary<string, byte> _connected = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _offlineBytes = new(StringComparer.Ordinal);

    public event Action<string>? Expired;

    /// <summary>How often the sweep looks for expired sessions: a quarter of the expiry, between 0.25 s and 1 min.</summary>
    public TimeSpan SweepInterval => TimeSpan.FromTicks(Math.Clamp(options.SessionExpiry.Ticks / 4, TimeSpan.TicksPerSecond / 4, TimeSpan.TicksPerMinute));

    public void Connected(string clientId)
    {
        _connected[clientId] = 0;
        _offlineBytes.TryRemove(clientId, out _);
    }

    public void Disconnected(string clientId, MqttClientDisconnectType type)
    {
        if (type != MqttClientDisconnectType.Takeover) _connected.TryRemove(clientId, out _);
    }

    /// <summary>A session MQTTnet dropped itself (clean start, a non-persistent client leaving, its own lazy expiry).</summary>
    public void Deleted(string clientId) => _offlineBytes.TryRemove(clientId, out _);

    public Task OnEnqueueAsync(InterceptingClientApplicationMessageEnqueueEventArgs e)
    {
        if (_connected.ContainsKey(e.ReceiverClientId)) return Task.CompletedTask;
        long size = e.ApplicationMessage.Payload.Length + e.ApplicationMessage.Topic.Length;
        long queued = _offlineBytes.AddOrUpdate(e.ReceiverClientId, size, (_, q) => q + size);
        if (queued <= options.MaxQueuedBytesPerSession) return Task.CompletedTask;
        _offlineBytes.AddOrUpdate(e.ReceiverClientId, 0, (_, q) => q - size);
        e.AcceptEnqueue = false;
        counters.MessageNotQueued();
        logger.LogDebug("not queued for disconnected client {Client}: its queue holds Broker:MaxQueuedBytesPerSession ({Max} bytes)", e.ReceiverClientId, options.MaxQueuedBytesPerSession);
        return Task.CompletedTask;
    }

    public async Task SweepLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(SweepInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false)) await SweepAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SweepAsync()
    {
        var now = DateTime.UtcNow; // MQTTnet stamps DisconnectedTimestamp with DateTime.UtcNow
        // MqttSessionStatus reads the live session: a client that reconnected since the listing has cleared its timestamp.
        foreach (var session in await server.GetSessionsAsync().ConfigureAwait(false))
        {
            if (session.DisconnectedTimestamp is not { } at || now - at < options.SessionExpiry || _connected.ContainsKey(session.Id)) continue;
            await session.DeleteAsync().ConfigureAwait(false);
            _offlineBytes.TryRemove(session.Id, out _);
            logger.LogInformation("local broker: session of client {Client} expired: disconnected since {At:O} (Broker:SessionExpiry {Expiry})", session.Id, at, options.SessionExpiry);
            counters.SessionExpired();
            Expired?.Invoke(session.Id);
        }
    }
}
