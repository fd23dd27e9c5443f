using System.Text.Json;
using Edge.Gateway.Configuration;
using Edge.Local.Status;
using Edge.Sensors.Sampling;
using Edge.Uplink.Connection;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Services;

/// <summary>The running gateway as the local MQTT API sees it: configured sensors with their samplers' counters, and the uplink.</summary>
public sealed class GatewayView(IOptions<GatewaySettings> gateway, IOptions<SensorSettings> sensors, IOptions<LogSettings> log, SensorRegistry registry,
    UplinkService uplink, IOptions<Edge.Uplink.UplinkOptions> uplinkOptions) : IGatewayView
{
    public string GatewayId => gateway.Value.Id;

    public IReadOnlyList<SensorInfo> LocalSensors
    {
        get
        {
            var statuses = registry.Statuses.ToDictionary(s => s.SensorId, StringComparer.Ordinal);
            return sensors.Value.Specs.Select(spec =>
            {
                var s = statuses.GetValueOrDefault(spec.Id);
                return new SensorInfo(spec.Id, spec.Type.Name, spec.Type.Kind, spec.Topic, "local", State(s), s?.Readings ?? 0, (s?.Dropped ?? 0) + (s?.Decimated ?? 0), s?.LastReadingAt);
            }).ToList();
        }
    }

    public IReadOnlyCollection<string> ReadingTopics { get; } = ReadingTopicNames.From(log.Value, uplinkOptions.Value);

    public IReadOnlyList<string> ConsumerGroups => uplink.Status is { State: not UplinkState.BufferOnly } ? [Edge.Uplink.Uplink.GroupId] : [];

    public long DiskBudgetBytes => log.Value.DiskBudgetBytes;

    public void WriteUplink(Utf8JsonWriter w)
    {
        var s = uplink.Status;
        w.WriteStartObject();
        if (s is null || s.State == UplinkState.BufferOnly)
        {
            w.WriteString("state", "buffer-only");
            w.WriteString("reason", "no upstream broker configured (Uplink:Host): readings are kept in the log");
        }
        else
        {
            w.WriteString("state", s.State.ToString().ToLowerInvariant());
            w.WriteString("endpoint", s.Endpoint);
            if (s.LastError is not null) w.WriteString("lastError", s.LastError);
            w.WriteNumber("lag", s.Lag);
            if (s.OldestUnsent is { } o) w.WriteNumber("oldestUnsentSeconds", Math.Round(o.TotalSeconds, 1)); else w.WriteNull("oldestUnsentSeconds");
            if (s.DrainEstimate is { } d) w.WriteNumber("drainSeconds", Math.Round(d.TotalSeconds, 1)); else w.WriteNull("drainSeconds");
            w.WriteNumber("ackedPerSecond", Math.Round(s.AckedPerSecond, 1));
            w.WriteNumber("acked", s.Acked);
            w.WriteNumber("resent", s.Resent);
            w.WriteNumber("deadLettered", s.DeadLettered);
            w.WriteNumber("unreadable", s.Unreadable);
            if (s.Stopped is { Count: > 0 } stopped)
            {
                w.WriteStartObject("restarting"); // partition -> the error that stopped its forwarding
                foreach (var (partition, error) in stopped) w.WriteString(partition, error);
                w.WriteEndObject();
            }
        }
        w.WriteEndObject();
    }

    private static string State(SensorStatus? s) => s is null ? "starting" : s.State.ToString().ToLowerInvariant();
}
