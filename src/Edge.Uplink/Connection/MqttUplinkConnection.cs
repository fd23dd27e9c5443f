using System.Buffers;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Edge.Uplink.Payload;
using Microsoft.Extensions.Logging;
using Edge.Readings.Retry;

namespace Edge.Uplink.Connection;

/// <summary>
/// Keeps one MQTTnet client connected to the upstream broker. MQTTnet 5 has no managed client (v5 dropped
/// ManagedMqttClient) and its IMqttClient keeps no in-flight PUBLISH across a reconnect, so the resend that MQTT 5.0
/// §4.4 asks of a client resuming a session is ours to do. This class only owns the connection — connect,
/// notice the drop, back off exponentially with jitter (so a fleet does not reconnect in lockstep after a broker
/// restart), connect again — and the forwarders resend from their committed offsets. A refused CONNECT (bad
/// credentials, not authorised) is logged with the broker's reason code and retried like any other failure: the
/// operator may fix the broker side without restarting the gateway.
/// </summary>
public sealed class MqttUplinkConnection : IAsyncDisposable
{
    private readonly UplinkOptions _options;
    private readonly MqttClientOptions _clientOptions;
    private readonly IMqttClient _client;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly ReconnectBackoff _backoff;
    private readonly KeyProperties _keyProperties = new();
    private readonly object _lock = new();
    private TaskCompletionSource<ConnectedSession> _connected = NewSession();
    private CancellationTokenSource? _sessionLost;
    private TaskCompletionSource _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _epoch;
    private int _aborted;
    private long _published, _highestAcked, _lastAck;
    private volatile string? _tlsRejection;

    public MqttUplinkConnection(UplinkOptions options, string gatewayId, TimeProvider time, ILogger log)
    {
        _options = options;
        _time = time;
        _backoff = new ReconnectBackoff(options.ReconnectMinDelay, options.ReconnectMaxDelay, time);
        _log = log;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithClientId(string.IsNullOrEmpty(options.ClientId) ? $"edge-{gatewayId}" : options.ClientId)
            .WithKeepAlivePeriod(options.KeepAlive)
            .WithTimeout(TimeSpan.FromSeconds(10))
            // One write (and one TCP segment) per packet instead of header and payload apart: a one-reading message
            // is a few hundred bytes, and the kernel's per-send work (TCP, loopback delivery) was a third of the CPU profile.
            .WithoutPacketFragmentation()
            .WithProtocolVersion(options.Protocol == MqttVersion.V311 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500);
        // A persistent session: the broker keeps what it owes us (and our subscriptions) across short drops.
        builder = options.Protocol == MqttVersion.V311
            ? builder.WithCleanSession(false)
            : builder.WithCleanStart(false).WithSessionExpiryInterval((uint)options.SessionExpiry.TotalSeconds);
        if (!string.IsNullOrEmpty(options.Username)) builder = builder.WithCredentials(options.Username, options.Password);
        if (options.Tls.Enabled) builder = builder.WithTlsOptions(TlsFactory.Build(options, why => _tlsRejection = why));
        _clientOptions = builder.Build();
        // Our own socket under MQTTnet (and under TLS): it acknowledges PUBACKs at once (QuickAckStream).
        if (_clientOptions.ChannelOptions is MqttClientTcpOptions tcp) tcp.StreamProvider = new QuickAckStreamProvider();
        _client = new MqttClientFactory().CreateMqttClient();
        _client.DisconnectedAsync += OnDisconnected;
    }

    public UplinkState State { get; private set; } = UplinkState.Connecting;

    /// <summary>Why the last connection attempt failed or the connection dropped (for status).</summary>
    public string? LastError { get; private set; }

    public DateTimeOffset? ConnectedSince { get; private set; }

    public long Connects => _epoch;

    public string Endpoint => $"{(_options.Tls.Enabled ? "mqtts" : "mqtt")}://{_options.Host}:{_options.Port}";

    /// <summary>Completes with the current session once connected.</summary>
    public Task<ConnectedSession> WaitConnectedAsync(CancellationToken cancellationToken)
    {
        lock (_lock) return _connected.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Connects and reconnects until <paramref name="stop"/> fires, then disconnects cleanly.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        int failures = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                State = UplinkState.Connecting;
                string? error = await TryConnectAsync(stop).ConfigureAwait(false);
                if (error is null)
                {
                    failures = 0;
                    Task dropped;
                    lock (_lock) dropped = _disconnected.Task;
                    await dropped.WaitAsync(stop).ConfigureAwait(false);
                    continue;
                }
                LastError = error;
                State = UplinkState.WaitingToReconnect;
                var delay = _backoff.Next(++failures);
                _log.LogWarning("uplink to {Endpoint}: {Error}; retrying in {Delay:F1} s (attempt {Attempt})", Endpoint, error, delay.TotalSeconds, failures);
                await _backoff.WaitAsync(delay, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        State = UplinkState.Stopped;
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (MqttCommunicationException)
            {
            }
        }
    }

    /// <summary>Publishes with QoS 1 and returns the broker's PUBACK (or throws when the session drops first).</summary>
    /// <param name="sequence">The message's place in this client's publication order, for <see cref="IsSilentFor"/>.</param>
    public Task<MqttClientPublishResult> PublishAsync(OutgoingMessage message, out long sequence, CancellationToken cancellationToken)
    {
        sequence = Interlocked.Increment(ref _published);
        // Built directly rather than with the builder: this runs once per message.
        var applicationMessage = new MqttApplicationMessage
        {
            Topic = message.Topic,
            Payload = new ReadOnlySequence<byte>(message.Payload),
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
        };
        if (_options.Protocol == MqttVersion.V5)
        {
            applicationMessage.ContentType = message.ContentType;
            applicationMessage.UserProperties = _keyProperties.For(message.Key);
        }
        try
        {
            return _client.PublishAsync(applicationMessage, cancellationToken);
        }
        catch (Exception e)
        {
            // Not connected any more: report it through the task like a drop in flight, for one code path.
            return Task.FromException<MqttClientPublishResult>(e);
        }
    }

    /// <summary>A PUBACK (of any reason code) arrived for the message published as <paramref name="sequence"/>.</summary>
    public void Acknowledged(long sequence)
    {
        Volatile.Write(ref _lastAck, _time.GetTimestamp());
        long seen = Volatile.Read(ref _highestAcked);
        while (sequence > seen)
        {
            long was = Interlocked.CompareExchange(ref _highestAcked, sequence, seen);
            if (was == seen) break;
            seen = was;
        }
    }

    /// <summary>
    /// Whether the broker has gone silent for the message published as <paramref name="sequence"/>, whose PUBACK is
    /// overdue: no PUBACK at all on this client for <see cref="UplinkOptions.AckTimeout"/> (a wedged broker or link), or a
    /// PUBACK for a message published after it (brokers answer QoS 1 PUBLISHes in the order received, MQTT 5 §4.6, so
    /// this one was dropped). PUBACKs still arriving for earlier messages mean a slow link, not a silent broker: a
    /// backlog of 64 KB batches on a 1 Mbit/s link takes longer than AckTimeout to leave the send queue.
    /// </summary>
    public bool IsSilentFor(long sequence) =>
        _time.GetElapsedTime(Volatile.Read(ref _lastAck)) >= _options.AckTimeout || Volatile.Read(ref _highestAcked) > sequence;

    /// <summary>
    /// Drops <paramref name="session"/>'s connection because the broker stopped answering on it; the reconnect loop
    /// connects again and the forwarders resend from their committed offsets. Several forwarders may ask at once (and
    /// late, for a session already gone): only the first request for the current session acts.
    /// </summary>
    public void Abort(ConnectedSession session, string why)
    {
        lock (_lock)
        {
            if (session.Epoch != _epoch || _sessionLost is null || _aborted == _epoch) return;
            _aborted = _epoch;
            // Forwarders that ask now wait for the next connection, not the one being dropped.
            if (_connected.Task.IsCompleted) _connected = NewSession();
        }
        _log.LogWarning("uplink to {Endpoint}: {Why}; dropping the connection to resend", Endpoint, why);
        _ = AbortAsync();
    }

    private async Task AbortAsync()
    {
        // A broker that stopped reading may never take the DISCONNECT packet: bound the attempt, then the socket goes.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            // MQTT 3.1.1 has no reason codes: MQTTnet refuses any but the normal one there.
            var reason = _options.Protocol == MqttVersion.V5 ? MqttClientDisconnectOptionsReason.UnspecifiedError : MqttClientDisconnectOptionsReason.NormalDisconnection;
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(reason).Build(), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Whatever went wrong, MQTTnet closes the socket on the way out, and the reconnect loop takes over.
        }
    }

    private async Task<string?> TryConnectAsync(CancellationToken stop)
    {
        _tlsRejection = null;
        try
        {
            var result = await _client.ConnectAsync(_clientOptions, stop).ConfigureAwait(false);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
                return $"the broker refused the connection: {result.ResultCode}{(string.IsNullOrEmpty(result.ReasonString) ? "" : $" ({result.ReasonString})")}{Hint(result.ResultCode)}";
            var session = new CancellationTokenSource();
            Volatile.Write(ref _lastAck, _time.GetTimestamp()); // the silence clock starts at the connect
            lock (_lock)
            {
                _sessionLost = session;
                _disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _connected.TrySetResult(new ConnectedSession(++_epoch, session.Token));
            }
            ConnectedSince = _time.GetUtcNow();
            State = UplinkState.Connected;
            LastError = null;
            _log.LogInformation("uplink connected to {Endpoint} (session present: {Present})", Endpoint, result.IsSessionPresent);
            return null;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is MqttCommunicationException or OperationCanceledException or System.Security.Authentication.AuthenticationException or IOException)
        {
            // A refused certificate says which check failed; otherwise the transport's own words (refused, timed out).
            return _tlsRejection is { } why ? $"TLS handshake failed: {why}" : $"cannot connect: {Describe(e)}";
        }
    }

    // Mosquitto answers a wrong password with NotAuthorized, others with BadUserNameOrPassword: both point at the same keys.
    private static string Hint(MqttClientConnectResultCode code) => code switch
    {
        MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized => " — check Uplink:Username and Uplink:Password (or the client certificate) against the broker's accounts",
        MqttClientConnectResultCode.ClientIdentifierNotValid => " — check Uplink:ClientId",
        _ => "",
    };

    private Task OnDisconnected(MqttClientDisconnectedEventArgs e)
    {
        if (!e.ClientWasConnected) return Task.CompletedTask;
        CancellationTokenSource? lost;
        TaskCompletionSource disconnected;
        lock (_lock)
        {
            lost = _sessionLost;
            _sessionLost = null;
            if (_connected.Task.IsCompleted) _connected = NewSession(); // Abort may have done it already
            disconnected = _disconnected;
        }
        // Stop the session's readers first, so nothing more is read for a link that is gone; then report.
        lost?.Cancel();
        lost?.Dispose();
        LastError = $"connection lost: {e.Reason}{(e.Exception is null ? "" : " — " + Describe(e.Exception))}";
        ConnectedSince = null;
        if (State != UplinkState.Stopped)
        {
            State = UplinkState.Connecting;
            _log.LogWarning("uplink to {Endpoint}: {Error}", Endpoint, LastError);
        }
        disconnected.TrySetResult();
        return Task.CompletedTask;
    }

    private static string Describe(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null) inner = inner.InnerException;
        return inner == e ? e.Message : $"{e.Message} ({inner.Message})";
    }

    private static TaskCompletionSource<ConnectedSession> NewSession() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        _client.DisconnectedAsync -= OnDisconnected;
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync().ConfigureAwait(false);
            }
            catch (MqttCommunicationException)
            {
            }
        }
        _client.Dispose();
        // OnDisconnected was unhooked above, so the last session is ended here: its readers stop, its source is freed.
        CancellationTokenSource? lost;
        lock (_lock)
        {
            lost = _sessionLost;
            _sessionLost = null;
        }
        lost?.Cancel();
        lost?.Dispose();
    }
}
