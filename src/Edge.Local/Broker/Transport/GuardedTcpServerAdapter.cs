using Edge.Readings.Transport;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Edge.Local.Status;
using Microsoft.Extensions.Logging;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Server;

namespace Edge.Local.Broker.Transport;

/// <summary>
/// The broker's TCP (and TLS) listeners in place of MQTTnet's own, for the two bounds that must hold before a client
/// has said anything: at most Broker:MaxConnections open connections (one more is closed as soon as it is accepted,
/// before TLS or MQTT cost anything), and no packet above Broker:MaxPacketBytes (<see cref="PacketSizeGuard"/>).
/// Each connection's socket is tuned for request/response latency (<see cref="QuickAckStream"/>, <see cref="BrokerChannel"/>,
/// QUERY.md "Broker transport") and has an <see cref="AckPipeline"/> for acknowledgements that wait for durability.
/// Everything else — MQTT framing, sessions, keep-alive — is MQTTnet's, through its public channel types.
/// </summary>
internal sealed class GuardedTcpServerAdapter(BrokerOptions options, X509Certificate2? certificate, BrokerCounters counters, ILogger logger,
    int pendingAcksPerConnection, int pendingAcksTotal) : IMqttServerAdapter
{
    private readonly List<Socket> _listeners = [];
#pragma warning disable CA2213 // closing connections' pipelines release it after their acks complete; it never allocates a wait handle
    private readonly SemaphoreSlim _pendingAcks = new(pendingAcksTotal, pendingAcksTotal);
#pragma warning restore CA2213
    // Keyed by the remote end point object the connection's channel reports: MQTTnet hands that same object to the
    // packet interceptors (MqttConnectedClient.RemoteEndPoint), and by reference it is unique per connection.
    private readonly ConcurrentDictionary<EndPoint, AckPipeline> _acks = new(ReferenceEqualityComparer.Instance);
    private readonly CancellationTokenSource _stop = new();
    private int _open;
    private long _refusedSince;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    /// <summary>Connections open right now (accepted and not yet closed).</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>The acknowledgement pipeline of the connection whose channel reports <paramref name="remote"/>; null when it has closed.</summary>
    public AckPipeline? AcksOf(EndPoint? remote) => remote is not null && _acks.TryGetValue(remote, out var acks) ? acks : null;

    public Task StartAsync(MqttServerOptions serverOptions, IMqttNetLogger mqttLogger)
    {
        var address = IPAddress.Parse(options.ListenAddress);
        if (options.Port > 0) Listen(new IPEndPoint(address, options.Port), tls: false, serverOptions, mqttLogger);
        if (certificate is not null) Listen(new IPEndPoint(address, options.Tls.Port), tls: true, serverOptions, mqttLogger);
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        _stop.Cancel();
        foreach (var l in _listeners) l.Dispose();
        _listeners.Clear();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        StopAsync();
        _stop.Dispose();
    }

    private void Listen(IPEndPoint endpoint, bool tls, MqttServerOptions serverOptions, IMqttNetLogger mqttLogger)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.Address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            socket.Bind(endpoint);
            socket.Listen(128);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _listeners.Add(socket);
        _ = Task.Run(() => AcceptAsync(socket, tls, serverOptions, mqttLogger));
    }

    private async Task AcceptAsync(Socket listener, bool tls, MqttServerOptions serverOptions, IMqttNetLogger mqttLogger)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                logger.LogWarning("local broker: accept failed: {Error}", e.Message);
                continue;
            }
            if (Interlocked.Increment(ref _open) > options.MaxConnections)
            {
                Interlocked.Decrement(ref _open);
                counters.Refuse("maxConnections");
                RefuseOverCap(client);
                continue;
            }
            counters.Opened();
            _ = Task.Run(() => ServeAsync(client, tls, serverOptions, mqttLogger));
        }
    }

    private void RefuseOverCap(Socket client)
    {
        // One line per burst of refusals rather than one per connection: a flood must not flood the journal too.
        long now = Environment.TickCount64;
        long last = Interlocked.Read(ref _refusedSince);
        if (now - last > 10_000 && Interlocked.CompareExchange(ref _refusedSince, now, last) == last)
            logger.LogWarning("local broker: refused a connection from {Remote}: {Open} connections are open (Broker:MaxConnections)", client.RemoteEndPoint, options.MaxConnections);
        client.Dispose();
    }

    private async Task ServeAsync(Socket socket, bool tls, MqttServerOptions serverOptions, IMqttNetLogger mqttLogger)
    {
        var remote = socket.RemoteEndPoint;
        Stream? stream = null;
        AckPipeline? acks = null;
        try
        {
            // Every packet leaves at once: replies, live readings, status and PUBACKs are small and latency-bound,
            // and BrokerChannel already sends each packet with one write, so Nagle's algorithm could only delay them.
            // Socket buffers stay the kernel's: setting SO_SNDBUF/SO_RCVBUF turns off Linux's autotuning (tcp(7)).
            socket.NoDelay = true;
            // Disposed in the finally below, or by the channel that owns them.
#pragma warning disable CA2000
            stream = new QuickAckStream(socket);
            if (tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
#pragma warning restore CA2000
                stream = ssl;
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                handshake.CancelAfter(options.ConnectTimeout);
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    EnabledSslProtocols = SslProtocols.None, // the operating system's choice, which excludes insecure versions
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    EncryptionPolicy = EncryptionPolicy.RequireEncryption,
                }, handshake.Token).ConfigureAwait(false);
            }
            // The channel adapter below disposes its channel, and the guard its inner BrokerChannel (MQTTnet
            // MqttChannelAdapter.Dispose), which disposes the stream; the adapter is disposed by its using.
#pragma warning disable CA2000
            var channel = new BrokerChannel(stream, socket.LocalEndPoint, remote);
            var guard = new PacketSizeGuard(channel, options.MaxPacketBytes,
                reason =>
                {
                    counters.Refuse("packetTooLarge");
                    logger.LogWarning("local broker: client {Remote}: {Reason}", remote, reason);
                });
#pragma warning restore CA2000
            // MQTTnet's packet writer: a packet's header (fixed header, topic, properties) is encoded into this buffer
            // and its payload is sent from where it lies, so it needs only header room; one that grew past the maximum
            // (a huge property) is shrunk back after the packet (MqttBufferWriter.Cleanup).
            using var adapter = new MqttChannelAdapter(guard, new MqttPacketFormatterAdapter(new MqttBufferWriter(serverOptions.WriterBufferSize, serverOptions.WriterBufferSizeMax)), mqttLogger);
            acks = new AckPipeline(adapter, channel, pendingAcksPerConnection, _pendingAcks);
            if (remote is not null) _acks[remote] = acks;
            if (ClientHandler is { } handler) await handler(adapter).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or OperationCanceledException or ObjectDisposedException)
        {
            logger.LogDebug("local broker: connection from {Remote} ended: {Error}", remote, e.Message);
        }
        finally
        {
            if (remote is not null) _acks.TryRemove(KeyValuePair.Create(remote, acks!));
            acks?.Dispose();
            if (stream is not null) await stream.DisposeAsync().ConfigureAwait(false);
            else socket.Dispose();
            Interlocked.Decrement(ref _open);
            counters.Closed();
        }
    }
}
