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
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace Edge.Local.Broker.Transport;

/// <summary>
/// The broker's TCP (and TLS) listeners in place of MQTTnet's own, for the two bounds that must hold before a client
/// has said anything: at most Broker:MaxConnections open connections (one more is closed as soon as it is accepted,
/// before TLS or MQTT cost anything), and no packet above Broker:MaxPacketBytes (<see cref="PacketSizeGuard"/>).
/// Everything after the socket — MQTT framing, sessions, keep-alive — is MQTTnet's, through its public channel types.
/// </summary>
internal sealed class GuardedTcpServerAdapter(BrokerOptions options, X509Certificate2? certificate, BrokerCounters counters, ILogger logger) : IMqttServerAdapter
{
    private readonly List<Socket> _listeners = [];
    private readonly CancellationTokenSource _stop = new();
    private int _open;
    private long _refusedSince;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    /// <summary>Connections open right now (accepted and not yet closed).</summary>
    public int Open => Volatile.Read(ref _open);

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
        try
        {
            socket.NoDelay = true;
            stream = new NetworkStream(socket, ownsSocket: true);
            if (tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
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
            // The channel adapter below disposes its channel, and the guard its inner MqttTcpChannel (MQTTnet
            // MqttChannelAdapter.Dispose); the adapter is disposed by its using.
#pragma warning disable CA2000
            var channel = new PacketSizeGuard(new MqttTcpChannel(stream, socket.LocalEndPoint, remote, null), options.MaxPacketBytes,
                reason =>
                {
                    counters.Refuse("packetTooLarge");
                    logger.LogWarning("local broker: client {Remote}: {Reason}", remote, reason);
                });
#pragma warning restore CA2000
            using var adapter = new MqttChannelAdapter(channel, new MqttPacketFormatterAdapter(new MqttBufferWriter(serverOptions.WriterBufferSize, serverOptions.WriterBufferSizeMax)), mqttLogger);
            if (ClientHandler is { } handler) await handler(adapter).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or OperationCanceledException or ObjectDisposedException)
        {
            logger.LogDebug("local broker: connection from {Remote} ended: {Error}", remote, e.Message);
        }
        finally
        {
            if (stream is not null) await stream.DisposeAsync().ConfigureAwait(false);
            else socket.Dispose();
            Interlocked.Decrement(ref _open);
            counters.Closed();
        }
    }
}
