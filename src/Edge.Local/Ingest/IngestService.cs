using System.Collections.Concurrent;
using System.Text;
using Edge.Local.Live;
using Edge.Local.Status;
using Edge.Log;
using Edge.Readings;

namespace Edge.Local.Ingest;

/// <summary>
/// Remote nodes' readings into the log. A payload is validated completely — size, the documented JSON reading
/// schema (READINGS.md), the sensor id in the topic, the ingest policy, a log topic for its kind — before anything
/// is written, so nothing invalid is ever stored; the returned task completes only when the reading is durable, and
/// only then does the broker send the PUBACK. An exact retransmission of a sensor's last reading (same sequence and
/// timestamp: the node lost our PUBACK) is acknowledged without storing it again.
/// </summary>
public sealed class IngestService(EdgeLog log, SensorDirectory sensors, IngestOptions options, IngestCounters counters, LiveFeed live)
{
    // The broker handles one client's PUBLISHes one at a time and sends each PUBACK only once the reading is durable,
    // so a node's rate is at most 1 / (this wait + one fdatasync): a topic's linger of seconds, or even 100 ms, would cap
    // a node at a few readings per second. Remote readings therefore wait only this long for company (readings of
    // other nodes arriving meanwhile share the sync); the gateway's own sensors keep the topic's linger (FORMAT.md §6.2).
    private static readonly TimeSpan FlushWait = TimeSpan.FromMilliseconds(5);

    private readonly ConcurrentDictionary<string, (long Sequence, long Ticks)> _last = new(StringComparer.Ordinal);

    public async ValueTask<IngestResult> IngestAsync(string sensorId, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var result = Validate(sensorId, payload, out var reading, out var topic);
        if (!result.Ok) return Refuse(result);
        if (_last.TryGetValue(sensorId, out var last) && last == (reading!.Sequence, reading.Timestamp.UtcTicks))
        {
            counters.Refuse("duplicate");
            return IngestResult.Stored;
        }
        try
        {
            await sensors.RegisterAsync(sensorId, reading!.Kind, topic!, ct).ConfigureAwait(false);
            var record = new Record(Encoding.UTF8.GetBytes(sensorId), ReadingBinaryCodec.Encode(reading), reading.Timestamp.ToUnixTimeMilliseconds());
            await log.AppendAsync(topic!, record, FlushWait, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (LogException e)
        {
            return Refuse(new IngestResult(IngestRefusal.StoreFailed, $"the log could not store the reading: {e.Message}"));
        }
        _last[sensorId] = (reading.Sequence, reading.Timestamp.UtcTicks);
        sensors.Seen(sensorId, reading.Timestamp);
        counters.Accept();
        live.Offer(topic!, reading);
        return IngestResult.Stored;
    }

    private IngestResult Validate(string sensorId, ReadOnlyMemory<byte> payload, out Reading? reading, out string? topic)
    {
        reading = null;
        topic = null;
        if (payload.Length > options.MaxPayloadBytes)
            return new(IngestRefusal.TooLarge, $"payload is {payload.Length} bytes; Ingest:MaxPayloadBytes is {options.MaxPayloadBytes}");
        if (!Reading.IsValidSensorId(sensorId))
            return new(IngestRefusal.BadTopic, $"'{sensorId}' in the topic is not a sensor id (1-64 of A-Z a-z 0-9 . _ -)");
        if (sensors.IsLocal(sensorId))
            return new(IngestRefusal.BadTopic, $"'{sensorId}' is a sensor of this gateway; remote nodes need their own ids");
        if (options.Policy == IngestPolicy.KnownOnly && !options.Sensors.Contains(sensorId))
            return new(IngestRefusal.UnknownSensor, $"sensor '{sensorId}' is not in Ingest:Sensors and Ingest:Policy is KnownOnly");
        try
        {
            reading = ReadingJsonCodec.Decode(payload.Span);
        }
        catch (ReadingFormatException e)
        {
            return new(IngestRefusal.Malformed, $"not a JSON reading (READINGS.md): {e.Message}");
        }
        if (reading.SensorId != sensorId)
            return new(IngestRefusal.Malformed, $"the reading's sensorId '{reading.SensorId}' differs from the topic's '{sensorId}'");
        topic = TopicFor(reading.Kind);
        if (topic is null)
            return new(IngestRefusal.NoTopic, $"kind '{reading.Kind}' maps to no log topic; add it to Ingest:Topics");
        return IngestResult.Stored;
    }

    private string? TopicFor(string kind)
    {
        int dot = kind.IndexOf('.');
        string prefix = dot < 0 ? kind : kind[..dot];
        string name = options.Topics.GetValueOrDefault(prefix) ?? prefix;
        return !name.StartsWith('_') && log.Topics.Any(t => t.Name == name) ? name : null;
    }

    private IngestResult Refuse(IngestResult result)
    {
        counters.Refuse(result.Refusal.ToString());
        return result;
    }
}
