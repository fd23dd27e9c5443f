using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Edge.Local.Status;

/// <summary>
/// The local API's instruments on the "Edge.Local" meter: ingest accepted and refused, query latency, broker
/// connections and refusals. The counts are observed from <see cref="IngestCounters"/> and <see cref="BrokerCounters"/>
/// (the numbers the status message reports, so the two never disagree); the query histogram is recorded as queries
/// are answered. Names and units follow the OpenTelemetry semantic conventions (src/Edge.Web/METRICS.md).
/// </summary>
public sealed class LocalMetrics : IDisposable
{
    public const string MeterName = "Edge.Local";

    // Query latency is recorded where the query is answered, which holds no reference to an instance of this class;
    // a static instrument is the pattern System.Diagnostics.Metrics recommends for that (a meter per name is enough).
    private static readonly Meter Shared = new(MeterName, "1.0");

    /// <summary>Time to answer one query (parse excluded), tagged with <c>edge.query.op</c>.</summary>
    public static readonly Histogram<double> QueryDuration = Shared.CreateHistogram<double>("edge.query.duration", "s", "Time to answer one query, by op.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    private readonly Meter _meter;

    public LocalMetrics(IngestCounters ingest, BrokerCounters broker)
    {
        _meter = new Meter(MeterName, "1.0");
        _meter.CreateObservableCounter("edge.ingest.accepted", () => ingest.Accepted, "{reading}", "Readings from remote nodes stored in the log.");
        _meter.CreateObservableCounter("edge.ingest.refused", () => Tagged(ingest.Refused), "{reading}", "Readings from remote nodes refused, by reason.");
        _meter.CreateObservableUpDownCounter("edge.mqtt.connections", () => broker.Open, "{connection}", "Open connections to the embedded broker (TCP, TLS and WebSocket).");
        _meter.CreateObservableCounter("edge.mqtt.refused", () => Tagged(broker.Refused), "{connection}", "Connections and logins the embedded broker refused, by reason.");
    }

    /// <summary>Records one answered query of <paramref name="op"/> that started at <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public static void QueryAnswered(string op, long startTimestamp) =>
        QueryDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("edge.query.op", op));

    private static IEnumerable<Measurement<long>> Tagged(IEnumerable<KeyValuePair<string, long>> byReason) =>
        byReason.Select(r => new Measurement<long>(r.Value, new KeyValuePair<string, object?>("edge.reason", r.Key)));

    public void Dispose() => _meter.Dispose();
}
