using Edge.Local.Broker;
using Edge.Local.Status;
using Edge.Sensors.Sampling;
using Edge.Uplink;

namespace Edge.Gateway.Services;

/// <summary>
/// The libraries' meters that observe the running gateway (Edge.Log creates its own): the uplink's, the samplers' and
/// the local API's, each reading the snapshot the status line reports. Created at start, disposed at stop.
/// </summary>
public sealed class GatewayMeters(UplinkService uplink, SensorRegistry sensors, IServiceProvider services) : IHostedService, IDisposable
{
    private readonly List<IDisposable> _meters = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _meters.Add(new UplinkMetrics(() => uplink.Status));
        _meters.Add(new SensorMetrics(() => sensors.Statuses));
        if (services.GetService<LocalApi>() is { } api) _meters.Add(new LocalMetrics(api.Counters, api.BrokerCounters));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var m in _meters) m.Dispose();
        _meters.Clear();
    }
}
