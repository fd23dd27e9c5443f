using Edge.Local.Ingest;
using Edge.Local.Live;
using Edge.Local.Query;
using Edge.Local.Status;
using Edge.Log;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Local.Broker;

/// <summary>Everything a transport (the embedded broker or a client of an existing one) serves.</summary>
public sealed record LocalApi(LocalTopics Topics, QueryEndpoint Queries, IngestService Ingest, StatusWriter Status, LiveFeed Live,
    SensorDirectory Sensors, IngestCounters Counters, BrokerCounters BrokerCounters)
{
    /// <summary>Composes the API over a log for a gateway (the gateway host, the tests and the benchmarks all build it here).</summary>
    public static LocalApi Create(EdgeLog log, IGatewayView view, QueryOptions query, IngestOptions ingest, TimeProvider time, ILoggerFactory? loggers = null)
    {
        var topics = new LocalTopics(view.GatewayId);
        var counters = new IngestCounters();
        var sensors = new SensorDirectory(log, view, loggers?.CreateLogger<SensorDirectory>());
        var brokerCounters = new BrokerCounters();
        var status = new StatusWriter(log, view, sensors, counters, brokerCounters, time);
        var live = new LiveFeed(topics);
        var queries = new QueryEndpoint(new QueryService(log, sensors, status, query, counters, loggers?.CreateLogger<QueryService>() ?? NullLogger<QueryService>.Instance), new ClientRateLimiter(query.QueriesPerSecond, query.Burst, time), topics);
        return new LocalApi(topics, queries, new IngestService(log, sensors, ingest, counters, live, view.ReadingTopics, time), status, live, sensors, counters, brokerCounters);
    }
}
