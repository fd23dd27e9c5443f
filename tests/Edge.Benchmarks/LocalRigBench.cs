using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Edge.Local;
using Edge.Local.Broker;
using Edge.Local.Ingest;
using Edge.Local.Live;
using Edge.Local.Query;
using Edge.Local.Status;
using Edge.Log;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Benchmarks;

/// <summary>The gateway's local API (embedded broker, query, ingest) over a log, composed as the gateway does, for benchmarks.</summary>
internal sealed class LocalRigBench : IAsyncDisposable
{
    private LocalRigBench(EdgeLog log, EmbeddedBroker broker, int port, SensorDirectory sensors) => (Log, Broker, Port, Sensors) = (log, broker, port, sensors);

    public SensorDirectory Sensors { get; }

    public EdgeLog Log { get; }

    public EmbeddedBroker Broker { get; }

    public int Port { get; }

    public static async Task<LocalRigBench> StartAsync(EdgeLog log, string gateway)
    {
        var view = new FakeGatewayView { GatewayId = gateway };
        // Benchmarks measure throughput, not the per-client bounds: every fleet node connects anonymously from loopback (one address).
        var api = LocalApi.Create(log, view, new QueryOptions { QueriesPerSecond = 1e9, Burst = 1_000_000 }, new IngestOptions { ReadingsPerSecond = 1e9, Burst = 1_000_000 }, TimeProvider.System);
        var sensors = api.Sensors;
        int port = FreePort.Get();
        var broker = new EmbeddedBroker(new BrokerOptions { Port = port, StatusInterval = TimeSpan.FromMinutes(10) }, api, NullLogger.Instance);
        await broker.StartAsync();
        return new LocalRigBench(log, broker, port, sensors);
    }

    public async ValueTask DisposeAsync() => await Broker.DisposeAsync();
}
