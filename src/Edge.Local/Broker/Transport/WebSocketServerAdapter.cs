using System.Net;
using System.Net.WebSockets;
using Edge.Local.Status;
using Microsoft.Extensions.Logging;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace Edge.Local.Broker.Transport;

/// <summary>
/// MQTT over WebSocket (MQTT 5 §6: one or more MQTT packets per binary frame, subprotocol "mqtt") into the embedded
/// broker, for web pages such as the gateway's dashboard. The web server accepts the upgrade and hands the socket here;
/// from then on it is a broker connection like a TCP one: the same Broker:MaxConnections and Broker:MaxPacketBytes
/// bounds (<see cref="PacketSizeGuard"/>), and the same <see cref="ConnectionGate"/> — the remote address decides
/// whether anonymous is allowed and accounts log in with their password — so the page can do exactly what its account's
/// role allows over TCP. Thread-safe.
/// </summary>
public sealed class WebSocketServerAdapter(BrokerOptions options, BrokerCounters counters, ILogger logger) : IMqttServerAdapter
{
    private MqttServerOptions? _serverOptions;
    private IMqttNetLogger? _mqttLogger;

    /// <summary>The subprotocol a client must offer (MQTT 5 §6, MQTT 3.1.1 §6).</summary>
    public const string SubProtocol = "mqtt";

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    /// <summary>True while the broker runs (between its start and stop): sockets handed over before or after are refused.</summary>
    public bool Accepting => ClientHandler is not null && _serverOptions is not null;

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger)
    {
        _mqttLogger = logger;
        _serverOptions = options;
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        _serverOptions = null;
        return Task.CompletedTask;
    }

    public void Dispose() => StopAsync();

    /// <summary>
    /// Serves one upgraded WebSocket until the MQTT connection ends. <paramref name="remote"/> is the HTTP client's
    /// address (the gate's anonymous-from-loopback rule reads it); <paramref name="secure"/> says whether it came over TLS.
    /// </summary>
    public async Task RunAsync(WebSocket socket, IPEndPoint remote, bool secure, CancellationToken cancellationToken)
    {
        if (_serverOptions is not { } serverOptions || ClientHandler is not { } handler || _mqttLogger is not { } mqttLogger)
        {
            await socket.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "the broker is not running", cancellationToken).ConfigureAwait(false);
            return;
        }
        // Counted with the TCP connections: one cap for the broker, whichever transport a client comes by.
        if (counters.Open >= options.MaxConnections)
        {
            counters.Refuse("maxConnections");
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "too many connections (Broker:MaxConnections)", cancellationToken).ConfigureAwait(false);
            return;
        }
        counters.Opened();
        try
        {
            // The channel adapter disposes its channel, and the guard the WebSocket channel (MQTTnet MqttChannelAdapter.Dispose).
#pragma warning disable CA2000
            var channel = new PacketSizeGuard(new MqttWebSocketChannel(socket, remote, secure, null), options.MaxPacketBytes, reason =>
            {
                counters.Refuse("packetTooLarge");
                logger.LogWarning("local broker: WebSocket client {Remote}: {Reason}", remote, reason);
            });
#pragma warning restore CA2000
            using var adapter = new MqttChannelAdapter(channel, new MqttPacketFormatterAdapter(new MqttBufferWriter(serverOptions.WriterBufferSize, serverOptions.WriterBufferSizeMax)), mqttLogger);
            await handler(adapter).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            logger.LogDebug("local broker: WebSocket connection from {Remote} ended: {Error}", remote, e.Message);
        }
        finally
        {
            counters.Closed();
        }
    }
}
