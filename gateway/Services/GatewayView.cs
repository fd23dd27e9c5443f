using Edge.Gateway.Configuration;
using Edge.Local.Status;
using Edge.Sensors.Configuration;
using Edge.Sensors.Sampling;
using Edge.Streams.Hosting;
using Edge.Uplink.Connection;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Services;

/// <summary>The running gateway as the local MQTT API sees it: configured sensors with their samplers' counters, and the uplink.</summary>
public sealed class GatewayView(IOptions<GatewaySettings> gateway, ConfiguredSensors sensors, ReadingTopics readingTopics, SensorRegistry registry,
    UplinkService uplink, StreamsService streams, StreamsRulesView rules) : IGatewayView
{
    public string GatewayId => gateway.Value.Id;

    public IReadOnlyList<SensorInfo> LocalSensors
    {
        get
        {
            var statuses = registry.Statuses.ToDictionary(s => s.SensorId, StringComparer.Ordinal);
            return sensors.Specs.Select(spec =>
            {
                var s = statuses.GetValueOrDefault(spec.Id);
                return new SensorInfo(spec.Id, spec.Type.Name, spec.Type.Kind, spec.Topic, "local", State(s), s?.Readings ?? 0, (s?.Dropped ?? 0) + (s?.Decimated ?? 0), s?.LastReadingAt);
            }).ToList();
        }
    }

    public IReadOnlyCollection<string> ReadingTopics => readingTopics.Names;

    public IReadOnlyList<string> ConsumerGroups => uplink.Status is { State: not UplinkState.BufferOnly } ? [Edge.Uplink.Uplink.GroupId] : [];

    public UplinkSnapshot Uplink => uplink.Status is { State: not UplinkState.BufferOnly } s
        ? new UplinkSnapshot(s.State.ToString().ToLowerInvariant(), Progress: new UplinkProgress(s.Endpoint, s.LastError, s.Lag, s.OldestUnsent, s.DrainEstimate,
            s.AckedPerSecond, s.Acked, s.Resent, s.DeadLettered, s.Unreadable, s.Stopped ?? new Dictionary<string, string>()))
        : new UplinkSnapshot(UplinkSnapshot.BufferOnlyState, "no upstream broker configured (Uplink:Host): readings are kept in the log");

    /// <summary>Null when no rule runs (Streams:Enabled false, or no Rules section): the API then serves no alerts.</summary>
    public IRulesView? Rules => streams.Active ? rules : null;

    private static string State(SensorStatus? s) => s is null ? "starting" : s.State.ToString().ToLowerInvariant();
}
