using System.Buffers;
using System.Text.Json;
using Edge.Log;

namespace Edge.Local.Status;

/// <summary>
/// Writes the gateway's health as JSON — the retained <c>edge/&lt;id&gt;/status</c> message and the <c>status</c>
/// query share it: sensors with readings/s, degraded ones, topics and partitions with offsets and disk use,
/// consumer-group lag, the uplink, ingest counters, sampler drops and log evictions.
/// </summary>
public sealed class StatusWriter
{
    private readonly EdgeLog _log;
    private readonly IGatewayView _view;
    private readonly SensorDirectory _sensors;
    private readonly IngestCounters _counters;
    private readonly BrokerCounters _broker;
    private readonly TimeProvider _time;
    private readonly object _lock = new();
    private Dictionary<string, double> _rates = new(StringComparer.Ordinal);
    private Dictionary<string, long> _lastCounts = new(StringComparer.Ordinal);
    private long _lastAt;
    private long _evictedRecords;
    private long _evictedSegments;

    public StatusWriter(EdgeLog log, IGatewayView view, SensorDirectory sensors, IngestCounters counters, BrokerCounters broker, TimeProvider time)
    {
        (_log, _view, _sensors, _counters, _broker, _time) = (log, view, sensors, counters, broker, time);
        log.Evicted += e =>
        {
            Interlocked.Add(ref _evictedRecords, e.ToOffset - e.FromOffset);
            Interlocked.Increment(ref _evictedSegments);
        };
    }

    /// <summary>The status as a JSON document: the payload of the retained status message.</summary>
    public byte[] ToUtf8(bool online)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer)) Write(w, online);
        return buffer.WrittenSpan.ToArray();
    }

    public void Write(Utf8JsonWriter w, bool online)
    {
        var sensors = _sensors.All;
        var rates = Rates(sensors);
        w.WriteStartObject();
        w.WriteString("gateway", _view.GatewayId);
        w.WriteBoolean("online", online);
        w.WriteString("at", _time.GetUtcNow());
        w.WriteStartObject("sensors");
        w.WriteNumber("count", sensors.Count);
        w.WriteNumber("readingsPerSecond", Math.Round(rates.Values.Sum(), 2));
        w.WriteNumber("dropped", sensors.Sum(s => s.Dropped));
        w.WriteStartArray("degraded");
        foreach (var s in sensors.Where(s => s.State == "degraded")) w.WriteStringValue(s.Id);
        w.WriteEndArray();
        w.WriteStartObject("perSensor");
        foreach (var s in sensors)
        {
            w.WriteStartObject(s.Id);
            w.WriteString("state", s.State);
            w.WriteNumber("readingsPerSecond", Math.Round(rates.GetValueOrDefault(s.Id), 2));
            if (s.LastReadingAt is { } t) w.WriteString("lastReadingAt", t); else w.WriteNull("lastReadingAt");
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
        WriteLog(w);
        w.WriteStartObject("groups");
        foreach (var g in _view.ConsumerGroups)
        {
            w.WriteStartObject(g);
            var lags = _log.Group(g).Lags();
            w.WriteNumber("lag", lags.Values.Sum());
            w.WriteEndObject();
        }
        w.WriteEndObject();
        WriteUplink(w, _view.Uplink);
        WriteAlerts(w, _view.Rules);
        w.WriteStartObject("ingest");
        w.WriteNumber("accepted", _counters.Accepted);
        w.WriteStartObject("refused");
        foreach (var (reason, n) in _counters.Refused.OrderBy(r => r.Key, StringComparer.Ordinal)) w.WriteNumber(reason, n);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteNumber("queries", _counters.Queries);
        w.WriteStartObject("broker");
        w.WriteNumber("connections", _broker.Open);
        w.WriteStartObject("refused");
        foreach (var (reason, n) in _broker.Refused.OrderBy(r => r.Key, StringComparer.Ordinal)) w.WriteNumber(reason, n);
        w.WriteEndObject();
        w.WriteNumber("sessionsExpired", _broker.SessionsExpired);
        w.WriteNumber("notQueued", _broker.NotQueued);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    // The stream rules' alerts (QUERY.md): how many keys are raised now, per rule which, so a dashboard sees an alert
    // in the one retained message it already reads; null when the gateway runs no rules.
    private static void WriteAlerts(Utf8JsonWriter w, IRulesView? rules)
    {
        if (rules is null)
        {
            w.WriteNull("alerts");
            return;
        }
        var all = rules.Rules;
        w.WriteStartObject("alerts");
        w.WriteString("topic", rules.AlertTopic);
        w.WriteNumber("raised", all.Sum(r => r.RaisedKeys.Count));
        w.WriteStartObject("perRule");
        foreach (var r in all)
        {
            w.WriteStartObject(r.Name);
            w.WriteNumber("raised", r.RaisedKeys.Count);
            w.WriteStartArray("raisedKeys");
            foreach (var key in r.RaisedKeys) w.WriteStringValue(key);
            w.WriteEndArray();
            w.WriteNumber("late", r.Late);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteUplink(Utf8JsonWriter w, UplinkSnapshot? uplink)
    {
        if (uplink is null)
        {
            w.WriteNull("uplink");
            return;
        }
        w.WriteStartObject("uplink");
        w.WriteString("state", uplink.State);
        if (uplink.Reason is not null) w.WriteString("reason", uplink.Reason);
        if (uplink.Progress is { } s)
        {
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
            if (s.Restarting.Count > 0)
            {
                w.WriteStartObject("restarting"); // partition -> the error that stopped its forwarding
                foreach (var (partition, error) in s.Restarting) w.WriteString(partition, error);
                w.WriteEndObject();
            }
        }
        w.WriteEndObject();
    }

    private void WriteLog(Utf8JsonWriter w)
    {
        var disk = _log.DiskUsage;
        w.WriteStartObject("log");
        w.WriteNumber("bytes", _log.DiskBytes);
        // The budget in force (the configured one, capped by what the file system can hold) and why appends may wait.
        w.WriteNumber("budgetBytes", disk.BudgetBytes);
        w.WriteString("configuredBudget", disk.ConfiguredBudgetBytes > 0 ? disk.ConfiguredBudgetBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) : "auto");
        w.WriteNumber("reserveBytes", disk.ReserveBytes);
        if (disk.FileSystemAvailableBytes is { } free) w.WriteNumber("diskFreeBytes", free); else w.WriteNull("diskFreeBytes");
        w.WriteString("disk", disk.State);
        w.WriteStartArray("waitingForSpace");
        foreach (string p in disk.DiskFullPartitions) w.WriteStringValue(p);
        w.WriteEndArray();
        w.WriteNumber("diskFullEvents", disk.DiskFullEvents);
        w.WriteNumber("evictedRecords", Interlocked.Read(ref _evictedRecords));
        w.WriteNumber("evictedSegments", Interlocked.Read(ref _evictedSegments));
        w.WriteNumber("maintenanceFailures", _log.MaintenanceFailures.Count);
        w.WriteStartObject("topics");
        foreach (var t in _log.UserTopics)
        {
            w.WriteStartArray(t.Name);
            for (int p = 0; p < t.Partitions; p++)
            {
                var info = _log.GetPartitionInfo(t.Name, p);
                w.WriteStartObject();
                w.WriteNumber("partition", p);
                w.WriteNumber("start", info.LogStartOffset);
                w.WriteNumber("end", info.HighWatermark);
                w.WriteNumber("bytes", info.SizeInBytes);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    // Rates over the interval since the previous computation at least a second ago, so frequent status queries
    // do not turn into noisy one-sample rates.
    private Dictionary<string, double> Rates(IReadOnlyList<SensorInfo> sensors)
    {
        lock (_lock)
        {
            long now = _time.GetTimestamp();
            double seconds = _lastAt == 0 ? 0 : _time.GetElapsedTime(_lastAt, now).TotalSeconds;
            if (_lastAt != 0 && seconds < 1) return _rates;
            var counts = sensors.ToDictionary(s => s.Id, s => s.Readings, StringComparer.Ordinal);
            if (_lastAt != 0)
                _rates = counts.ToDictionary(c => c.Key, c => Math.Max(0, c.Value - _lastCounts.GetValueOrDefault(c.Key)) / seconds, StringComparer.Ordinal);
            _lastCounts = counts;
            _lastAt = now;
            return _rates;
        }
    }
}
