using Edge.Local.Ingest;
using Edge.Local.Live;
using Edge.Local.Query;
using Edge.Local.Status;
using Edge.Log;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Local.Broker;

/// <summary>Everything a transport (the embedded broker or a client of an existing one) serves. Disposing it stops the live feed's tails.</summary>
public sealed record LocalApi(LocalTopics Topics, QueryEndpoint Queries, IngestService Ingest, StatusWriter Status, LiveFeed Live,
    SensorDirectory Sensors, IngestCounters Counters, BrokerCounters BrokerCounters) : IDisposable
{
    /// <summary>The stream rules' alerts the embedded broker publishes retained, or null when the gateway runs no rules.</summary>
    public AlertFeed? Alerts { get; init; }

    /// <summary>Composes the API over a log for a gateway (the gateway host, the tests and the benchmarks all build it here).</summary>
    public static LocalApi Create(EdgeLog log, IGatewayView view, QueryOptions query, IngestOptions ingest, TimeProvider time, ILoggerFactory? loggers = null)
    {
        var topics = new LocalTopics(view.GatewayId);
        var counters = new IngestCounters();
        var sensors = new SensorDirectory(log, view, loggers?.CreateLogger<SensorDirectory>());
        var brokerCounters = new BrokerCounters();
        var status = new StatusWriter(log, view, sensors, counters, brokerCounters, time);
        var queries = new QueryEndpoint(new QueryService(log, sensors, status, query, counters, loggers?.CreateLogger<QueryService>() ?? NullLogger<QueryService>.Instance, view.Rules), new ClientRateLimiter(query.QueriesPerSecond, query.Burst), topics);
        var ingestService = new IngestService(log, sensors, ingest, counters, view.ReadingTopics, time);
        // The API owns the feed: disposing the API stops its tails.
#pragma warning disable CA2000
        return new LocalApi(topics, queries, ingestService, status, new LiveFeed(log, topics, view.ReadingTopics, loggers?.CreateLogger<LiveFeed>()), sensors, counters, brokerCounters) 
        {
            Alerts = view.Rules is { } rules ? new AlertFeed(log, topics, rules.AlertTopic, loggers?.CreateLogger<AlertFeed>()) : null,
        };
#pragma warning restore CA2000
    }

    public void Dispose() => Live.Dispose();
}
