using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Edge.Local.Live;
using Edge.Local.Query;
using Edge.Local.Status;
using Edge.Log;
using Edge.Readings;

namespace Edge.Local.Ingest;

/// <summary>
/// Remote nodes' readings into the log. A payload is validated completely — size, the node's rate, the documented
/// JSON reading schema (READINGS.md), the sensor id in the topic, the ingest policy, a timestamp within the allowed
/// skew of the gateway's clock, a reading topic for its kind, room for a new sensor — before anything is written, so
/// nothing invalid is ever stored; the returned task completes only when the reading is durable, and only then does
/// the broker send the PUBACK. An exact retransmission of a sensor's last reading (same sequence and timestamp: the
/// node lost our PUBACK) is acknowledged without storing it again.
/// </summary>
public sealed class IngestService(EdgeLog log, SensorDirectory sensors, IngestOptions options, IngestCounters counters, LiveFeed live,
    IReadOnlyCollection<string> readingTopics, TimeProvider time)
{
    // The broker handles one client's PUBLISHes one at a time and sends each PUBACK only once the reading is durable,
    // so a node's rate is at most 1 / (this wait + one fdatasync): a topic's linger of seconds, or even 100 ms, would cap
    // a node at a few readings per second. Remote readings therefore wait only this long for company (readings of
    // other nodes arriving meanwhile share the sync); the gateway's own sensors keep the topic's linger (FORMAT.md §6.2).
    private static readonly TimeSpan FlushWait = TimeSpan.FromMilliseconds(5);

    private readonly ConcurrentDictionary<string, (long Sequence, long Ticks)> _last = new(StringComparer.Ordinal);
    private readonly ClientRateLimiter _rate = new(options.ReadingsPerSecond, options.Burst, time);

    /// <summary>
    /// Validates and stores one reading. <paramref name="node"/> names who sent it for the rate limit: the account, or
    /// the address of an anonymous client — never a client id, which a node could change to reset its allowance; null
    /// when the sender cannot be known (through an existing broker, whose own limits apply), which is not rate limited.
    /// </summary>
    public async ValueTask<IngestResult> IngestAsync(string? node, string sensorId, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var result = Validate(node, sensorId, payload, out var reading, out var topic);
        if (!result.Ok) return Refuse(result);
        if (_last.TryGetValue(sensorId, out var last) && last == (reading!.Sequence, reading.Timestamp.UtcTicks))
        {
            counters.Refuse("duplicate");
            return IngestResult.Stored;
        }
        try
        {
            if (!sensors.IsLocal(sensorId) && !await sensors.RegisterAsync(sensorId, reading!.Kind, topic!, ct, options.MaxAutoRegistered).ConfigureAwait(false))
                return Refuse(new IngestResult(IngestRefusal.TooManySensors,
                    $"sensor '{sensorId}' is new and {options.MaxAutoRegistered} remote sensors are registered already (Ingest:MaxAutoRegistered)"));
            var record = new Record(Encoding.UTF8.GetBytes(sensorId), ReadingBinaryCodec.Encode(reading!), reading!.Timestamp.ToUnixTimeMilliseconds());
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

    private IngestResult Validate(string? node, string sensorId, ReadOnlyMemory<byte> payload, out Reading? reading, out string? topic)
    {
        reading = null;
        topic = null;
        if (payload.Length > options.MaxPayloadBytes)
            return new(IngestRefusal.TooLarge, $"payload is {payload.Length} bytes; Ingest:MaxPayloadBytes is {options.MaxPayloadBytes}");
        if (node is not null && !_rate.TryAcquire(node))
            return new(IngestRefusal.RateLimited, $"more than {options.ReadingsPerSecond.ToString(CultureInfo.InvariantCulture)} readings/s (burst {options.Burst}) from this node (Ingest:ReadingsPerSecond): slow down and resend");
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
        var now = time.GetUtcNow();
        // Differences of two DateTimeOffsets always fit a TimeSpan; now ± skew could leave DateTimeOffset's range.
        if (now - reading.Timestamp > options.MaxPastSkew)
            return new(IngestRefusal.BadTimestamp, $"ts {Iso(reading.Timestamp)} is more than Ingest:MaxPastSkew ({options.MaxPastSkew}) before the gateway's clock ({Iso(now)})");
        if (reading.Timestamp - now > options.MaxFutureSkew)
            return new(IngestRefusal.BadTimestamp, $"ts {Iso(reading.Timestamp)} is more than Ingest:MaxFutureSkew ({options.MaxFutureSkew}) after the gateway's clock ({Iso(now)})");
        topic = IngestTopics.For(reading.Kind, options.Topics, readingTopics);
        if (topic is null)
            return new(IngestRefusal.NoTopic, $"kind '{reading.Kind}' maps to no reading topic ({string.Join(", ", readingTopics)}); add it to Ingest:Topics");
        return IngestResult.Stored;
    }

    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private IngestResult Refuse(IngestResult result)
    {
        counters.Refuse(result.Refusal.ToString());
        return result;
    }
}
