using Edge.Local.Broker;
using Edge.Local.Broker.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Edge.Local.Hosting;

/// <summary>
/// Runs the local MQTT side (embedded broker with query, status, live and ingest) for the life of the host; MQTT over
/// WebSocket too when a web server (Edge.Web) registered its <see cref="WebSocketServerAdapter"/>.
/// </summary>
public sealed class LocalBrokerService(IOptions<BrokerOptions> options, LocalApi api, ILogger<LocalBrokerService> logger, WebSocketServerAdapter? webSockets = null)
    : IHostedService
{
    private EmbeddedBroker? _broker;
    private ExternalBrokerBridge? _bridge;

    /// <summary>What the local MQTT side serves once started (for /readyz), null before.</summary>
    public string? Listening { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        switch (options.Value.Mode)
        {
            case BrokerMode.Embedded:
                _broker = new EmbeddedBroker(options.Value, api, logger, webSockets: webSockets);
                try
                {
                    await _broker.StartAsync().ConfigureAwait(false);
                }
                catch (System.Net.Sockets.SocketException e)
                {
                    // Typically Mosquitto already owns 1883: a configuration error naming the key to change, not a stack trace.
                    throw new OptionsValidationException(BrokerOptions.Section, typeof(BrokerOptions),
                        [BrokerOptions.CannotListen("Broker:Port", options.Value.ListenAddress, options.Value.Port, e.Message)]);
                }
                Listening = $"embedded broker listening on {options.Value.ListenAddress}:{options.Value.Port}";
                break;
            case BrokerMode.Client:
                _bridge = new ExternalBrokerBridge(options.Value, api, logger);
                _bridge.Start();
                Listening = $"client of {options.Value.External.Host}:{options.Value.External.Port}";
                break;
            default:
                logger.LogInformation("local MQTT is off (Broker:Mode Off): no query, status, live or ingest topics");
                Listening = "off (Broker:Mode Off)";
                break;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_broker is not null) await _broker.DisposeAsync().ConfigureAwait(false);
        if (_bridge is not null) await _bridge.DisposeAsync().ConfigureAwait(false);
    }
}
