using System.Diagnostics.Metrics;

namespace Edge.Sensors.Sampling;

/// <summary>
/// The samplers' instruments on the "Edge.Sensors" meter, observed from their <see cref="SensorStatus"/> snapshots at
/// each collection (the counters the status line and the <c>sensors</c> query report): readings, drops, failed reads
/// per sensor (<c>edge.sensor.id</c>) and how many sensors are degraded. Names and units follow the OpenTelemetry
/// semantic conventions (src/Edge.Web/METRICS.md).
/// </summary>
public sealed class SensorMetrics : IDisposable
{
    public const string MeterName = "Edge.Sensors";

    private readonly Meter _meter;

    public SensorMetrics(Func<IReadOnlyList<SensorStatus>> statuses)
    {
        _meter = new Meter(MeterName, "1.0");
        _meter.CreateObservableCounter("edge.sensor.readings", () => PerSensor(statuses(), s => s.Readings), "{reading}", "Readings a sampler produced.");
        _meter.CreateObservableCounter("edge.sensor.dropped", () => PerSensor(statuses(), s => s.Dropped + s.Decimated), "{reading}",
            "Readings not stored because the sampler's queue was full (dropped or decimated, Sensors:<id>:Overflow).");
        _meter.CreateObservableCounter("edge.sensor.failures", () => PerSensor(statuses(), s => s.Failures), "{read}", "Reads that failed (the device did not answer or answered garbage).");
        _meter.CreateObservableUpDownCounter("edge.sensor.degraded", () => statuses().Count(s => s.State == SensorState.Degraded), "{sensor}",
            "Sensors whose last read failed (the sampler retries with backoff).");
    }

    private static IEnumerable<Measurement<long>> PerSensor(IReadOnlyList<SensorStatus> all, Func<SensorStatus, long> value) =>
        all.Select(s => new Measurement<long>(value(s), new KeyValuePair<string, object?>("edge.sensor.id", s.SensorId)));

    public void Dispose() => _meter.Dispose();
}
