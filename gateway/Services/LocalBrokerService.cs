using Edge.Local.Broker;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Services;

/// <summary>Runs the local MQTT side (embedded broker with query, status, live and ingest) for the life of the host.</summary>
public sealed class LocalBrokerService(IOptions<BrokerOptions> options, IServiceProvider services, ILogger<LocalBrokerService> logger) : IHostedService
{
    private EmbeddedBroker? _broker;
    private ExternalBrokerBridge? _bridge;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var api = services.GetRequiredService<LocalApi>();
        switch (options.Value.Mode)
        {
            case BrokerMode.Embedded:
                _broker = new EmbeddedBroker(options.Value, api, logger);
                try
                {
                    await _broker.StartAsync().ConfigureAwait(false);
                }
                catch (System.Net.Sockets.SocketException e)
                {
                    // Typically Mosquitto already owns 1883: say which key to change rather than dying with a stack trace.
                    throw new InvalidOperationException($"Broker:Port: cannot listen on {options.Value.ListenAddress}:{options.Value.Port} ({e.Message}); "
                        + "another broker (e.g. Mosquitto) may own it: set Broker:Port to a free port, or Broker:Mode to Client to use that broker", e);
                }
                break;
            case BrokerMode.Client:
                _bridge = new ExternalBrokerBridge(options.Value, api, logger);
                _bridge.Start();
                break;
            default:
                logger.LogInformation("local MQTT is off (Broker:Mode Off): no query, status, live or ingest topics");
                break;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_broker is not null) await _broker.DisposeAsync().ConfigureAwait(false);
        if (_bridge is not null) await _bridge.DisposeAsync().ConfigureAwait(false);
    }
}
