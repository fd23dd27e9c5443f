using Edge.Gateway.Configuration;
using Edge.Log;
using Edge.Uplink;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Services;

/// <summary>Runs the uplink (log -> upstream MQTT broker) for the life of the host.</summary>
public sealed class UplinkService(EdgeLog log, IOptions<UplinkOptions> options, IOptions<GatewaySettings> gateway, TimeProvider time, ILoggerFactory loggers)
    : BackgroundService
{
    // A view for Status: the uplink is disposed by ExecuteAsync's await using, which owns it.
#pragma warning disable CA2213
    private Uplink.Uplink? _uplink;
#pragma warning restore CA2213

    public UplinkStatus? Status => _uplink?.Status();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var uplink = new Uplink.Uplink(log, options.Value, gateway.Value.Id, time, loggers);
        _uplink = uplink;
        await uplink.RunAsync(stoppingToken).ConfigureAwait(false);
    }
}
