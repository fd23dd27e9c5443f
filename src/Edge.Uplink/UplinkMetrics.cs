using System.Diagnostics.Metrics;
using Edge.Uplink.Connection;

namespace Edge.Uplink;

/// <summary>
/// The uplink's instruments on the "Edge.Uplink" meter, observed from <see cref="Uplink.Status"/> at each collection
/// (the snapshot the status line and status message report, so they never disagree): readings acknowledged, resent and
/// dead-lettered, refusals by reason, lag, age of the oldest unsent reading and the connection state. Names and
/// units follow the OpenTelemetry semantic conventions (src/Edge.Web/METRICS.md). Nothing is reported while
/// <paramref name="status"/> returns null (no uplink running).
/// </summary>
public sealed class UplinkMetrics : IDisposable
{
    public const string MeterName = "Edge.Uplink";

    private readonly Meter _meter;

    public UplinkMetrics(Func<UplinkStatus?> status)
    {
        _meter = new Meter(MeterName, "1.0");
        _meter.CreateObservableCounter("edge.uplink.acked", () => One(status(), s => s.Acked), "{reading}", "Readings acknowledged by the upstream broker (a resent reading counts again).");
        _meter.CreateObservableCounter("edge.uplink.resent", () => One(status(), s => s.Resent), "{reading}", "Readings sent again after a connection loss or a transient refusal.");
        _meter.CreateObservableCounter("edge.uplink.dead_lettered", () => One(status(), s => s.DeadLettered), "{reading}", "Readings parked in the dead-letter topic after a permanent refusal.");
        _meter.CreateObservableCounter("edge.uplink.refusals", () => status() is { } s
            ? s.Refusals.Select(r => new Measurement<long>(r.Value, new KeyValuePair<string, object?>("edge.reason", r.Key)))
            : [], "{message}", "Messages the upstream broker refused (or never acknowledged), by reason.");
        _meter.CreateObservableUpDownCounter("edge.uplink.lag", () => One(status(), s => s.Lag), "{reading}", "Readings in the log not yet acknowledged upstream.");
        _meter.CreateObservableGauge("edge.uplink.oldest_unsent.age", () => status() is { OldestUnsent: { } age } ? [new Measurement<double>(age.TotalSeconds)] : Array.Empty<Measurement<double>>(),
            "s", "Age of the oldest reading not yet acknowledged upstream.");
        _meter.CreateObservableUpDownCounter("edge.uplink.connected", () => One(status(), s => s.State == UplinkState.Connected ? 1L : 0L), "{connection}",
            "1 while the uplink is connected to its broker, else 0.");
    }

    private static IEnumerable<Measurement<long>> One(UplinkStatus? s, Func<UplinkStatus, long> value) =>
        s is null || s.State == UplinkState.BufferOnly ? [] : [new Measurement<long>(value(s))];

    public void Dispose() => _meter.Dispose();
}
