using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Edge.Log;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Local.Status;

/// <summary>
/// Every sensor the gateway knows: the configured ones (from <see cref="IGatewayView"/>) and remote nodes that
/// registered through ingest. Remote registrations are kept in the compacted log topic <c>_sensors</c> (key = sensor
/// id, value = {"kind","topic"}), so they survive restarts exactly like readings do and cost one record per sensor.
/// A corrupt batch in <c>_sensors</c> does not stop start-up: it is stepped over with a warning naming the file, byte
/// and lost offsets (FORMAT.md §7.5); a remote sensor whose registration was in it registers again with its next reading.
/// </summary>
public sealed class SensorDirectory
{
    public const string Topic = "_sensors";

    private readonly EdgeLog _log;
    private readonly IGatewayView _view;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, RemoteSensor> _remote = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _registering = new(1, 1);

    public SensorDirectory(EdgeLog log, IGatewayView view, ILogger? logger = null)
    {
        _log = log;
        _view = view;
        _logger = logger ?? NullLogger.Instance;
        log.CreateTopic(new TopicConfig(Topic) { Partitions = 1, Cleanup = CleanupPolicy.Compact, RetentionTime = null, Priority = int.MaxValue });
        Load();
    }

    public IReadOnlyList<SensorInfo> All =>
        _view.LocalSensors.Concat(_remote.Values.OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => r.Info)).ToList();

    public bool IsLocal(string sensorId) => _view.LocalSensors.Any(s => s.Id == sensorId);

    public SensorInfo? Find(string sensorId) =>
        _view.LocalSensors.FirstOrDefault(s => s.Id == sensorId) ?? (_remote.TryGetValue(sensorId, out var r) ? r.Info : null);

    /// <summary>Remote sensors registered (through ingest).</summary>
    public int RemoteCount => _remote.Count;

    public bool IsRegistered(string sensorId) => _remote.ContainsKey(sensorId);

    /// <summary>
    /// Registers a remote sensor the first time it publishes (durably, before its first reading is acknowledged);
    /// false when it is new and <paramref name="limit"/> sensors are registered already. Registrations are
    /// serialised so the limit is exact; a known sensor costs one dictionary lookup.
    /// </summary>
    public async ValueTask<bool> RegisterAsync(string sensorId, string kind, string topic, CancellationToken ct, int limit = int.MaxValue)
    {
        if (_remote.ContainsKey(sensorId)) return true;
        await _registering.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_remote.ContainsKey(sensorId)) return true;
            if (_remote.Count >= limit) return false;
            var value = Registration(kind, topic);
            await _log.AppendAsync(Topic, new Record(Encoding.UTF8.GetBytes(sensorId), value, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), 0, ct).ConfigureAwait(false);
            _remote.TryAdd(sensorId, new RemoteSensor(sensorId, kind, topic));
            return true;
        }
        finally
        {
            _registering.Release();
        }
    }

    /// <summary>Counts an ingested reading (for sensors, status and live rates).</summary>
    public void Seen(string sensorId, DateTimeOffset at)
    {
        if (_remote.TryGetValue(sensorId, out var r)) r.Seen(at);
    }

    private void Load()
    {
        long offset = 0;
        while (true)
        {
            ReadResult result;
            try
            {
                result = _log.Read(Topic, 0, offset);
            }
            catch (CorruptRecordException e)
            {
                // Bit rot in the registrations must not keep the gateway from starting: skip the bad batch (reads step
                // over it from now on) and go on with the rest; what it held comes back as those sensors publish again.
                var lost = _log.SkipCorrupt(Topic, 0, offset);
                if (lost is null) throw;
                _logger.LogWarning("{Topic}: skipped a corrupt batch of sensor registrations while loading ({Lost}); remote sensors registered in it register again with their next reading. First error: {Error}",
                    Topic, lost, e.Message);
                continue;
            }
            if (result.Records.Count == 0) break;
            foreach (var rec in result.Records)
            {
                if (rec.Key is not { } key) continue;
                var id = Encoding.UTF8.GetString(key.Span);
                if (rec.Value is not { } value)
                {
                    _remote.TryRemove(id, out _);
                    continue;
                }
                try
                {
                    using var d = JsonDocument.Parse(value);
                    if (d.RootElement.ValueKind == JsonValueKind.Object && d.RootElement.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String
                        && d.RootElement.TryGetProperty("topic", out var topic) && topic.ValueKind == JsonValueKind.String)
                        _remote[id] = new RemoteSensor(id, kind.GetString()!, topic.GetString()!);
                }
                catch (JsonException)
                {
                    // Written only by RegisterAsync; a record that does not parse was not ours and is skipped.
                }
            }
            offset = result.NextOffset;
        }
    }

    private sealed class RemoteSensor(string id, string kind, string topic)
    {
        private long _readings;
        private long _lastTicks;

        public string Id => id;

        public SensorInfo Info => new(id, "remote", kind, topic, "ingest", Interlocked.Read(ref _lastTicks) == 0 ? "registered" : "ok",
            Interlocked.Read(ref _readings), 0, Interlocked.Read(ref _lastTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null);

        public void Seen(DateTimeOffset at)
        {
            Interlocked.Increment(ref _readings);
            Interlocked.Exchange(ref _lastTicks, at.UtcTicks);
        }
    }

    // {"kind":...,"topic":...}: the registration record's value, written without reflection (trimmed and AOT builds).
    private static byte[] Registration(string kind, string topic)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("kind", kind);
            w.WriteString("topic", topic);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
