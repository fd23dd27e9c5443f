using System.Collections.Concurrent;
using System.Globalization;
using Edge.Local.Query;
using Edge.Local.Status;
using Edge.Log;
using Edge.Readings;

namespace Edge.Local.Ingest;

/// <summary>
/// Remote nodes' readings into the log. A payload is validated completely — size, the node's rate, the documented
/// JSON reading schema (READINGS.md), the sensor id in the topic, the ingest policy, a timestamp within the allowed
/// skew of the gateway's clock, a reading topic for its kind, room for a new sensor — before anything is written, so
/// nothing invalid is ever stored. <see cref="SubmitAsync"/> hands a valid reading to the log at once and returns a
/// task that completes only when it is durable: the broker keeps many of one connection's readings in flight that way
/// and sends each PUBACK, in order, only once its reading is durable (one fdatasync for all of them: the log's group
/// commit). An exact retransmission of a sensor's last reading (same sequence and timestamp: the node lost our PUBACK)
/// is acknowledged without storing it again, when that reading is durable.
/// </summary>
public sealed class IngestService(EdgeLog log, SensorDirectory sensors, IngestOptions options, IngestCounters counters,
    IReadOnlyCollection<string> readingTopics, TimeProvider time)
{
    // How long a remote reading waits for company before its group is written (when shorter than the topic's linger).
    // A node's other readings in flight, and other nodes' arriving meanwhile, join the group, so one fdatasync
    // acknowledges them all; a lone reading waits this long more for its PUBACK. Measured with mqttjs-ingest (1,000 in
    // flight): 5 ms gave more throughput than 0 (many small groups, one sync each) and than 10-20 ms (the window idles
    // while the group waits). The gateway's own sensors keep their topic's linger (FORMAT.md §6.2).
    private static readonly TimeSpan FlushWait = TimeSpan.FromMilliseconds(5);

    private readonly ConcurrentDictionary<string, Last> _last = new(StringComparer.Ordinal);
    private readonly ClientRateLimiter _rate = new(options.ReadingsPerSecond, options.Burst);
    private int _pending;

    /// <summary>Readings handed to the log and not yet durable (or failed).</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>The section this service was built with (the broker bounds what is pending per connection by it).</summary>
    public IngestOptions Options => options;

    /// <summary>
    /// Validates and stores one reading, and completes when it is durable (or refused). <paramref name="node"/> names
    /// who sent it for the rate limit: the account, or the address of an anonymous client — never a client id, which a
    /// node could change to reset its allowance; null when the sender cannot be known (through an existing broker,
    /// whose own limits apply), which is not rate limited.
    /// </summary>
    public async ValueTask<IngestResult> IngestAsync(string? node, string sensorId, ReadOnlyMemory<byte> payload, CancellationToken ct) =>
        await (await SubmitAsync(node, sensorId, payload, ct).ConfigureAwait(false)).ConfigureAwait(false);

    /// <summary>
    /// Validates one reading and hands it to the log; the returned task completes when it is durable (or with the
    /// refusal). Readings submitted one after another by one caller are appended in that order. The payload is not
    /// used after this call's own task completes. Thread-safe.
    /// </summary>
    public async ValueTask<Task<IngestResult>> SubmitAsync(string? node, string sensorId, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var result = Validate(node, sensorId, payload, out var reading, out var topic);
        if (!result.Ok) return Task.FromResult(Refuse(result));
        if (_last.TryGetValue(sensorId, out var last) && last.Sequence == reading!.Sequence && last.Ticks == reading.Timestamp.UtcTicks)
        {
            counters.Refuse("duplicate");
            return last.Durable; // acknowledged when the original is durable, not before (and refused if it was)
        }
        ValueTask<RecordPosition> append;
        try
        {
            if (!sensors.IsLocal(sensorId) && !await sensors.RegisterAsync(sensorId, reading!.Kind, topic!, ct, options.MaxAutoRegistered).ConfigureAwait(false))
                return Task.FromResult(Refuse(new IngestResult(IngestRefusal.TooManySensors,
                    $"sensor '{sensorId}' is new and {options.MaxAutoRegistered} remote sensors are registered already (Ingest:MaxAutoRegistered)")));
            var record = ReadingRecord.From(reading!);
            append = log.AppendAsync(topic!, record, FlushWait, cancellationToken: ct);
            Interlocked.Increment(ref _pending);
        }
        catch (LogException e)
        {
            return Task.FromResult(StoreFailed(e));
        }
        var entry = new Last(reading!.Sequence, reading.Timestamp.UtcTicks);
        entry.Durable = CompleteAsync(append, sensorId, entry, reading, topic!);
        _last[sensorId] = entry;
        if (entry.Durable.IsCompleted && !entry.Durable.Result.Ok) _last.TryRemove(KeyValuePair.Create(sensorId, entry)); // failed before it was published
        return entry.Durable;
    }

    private async Task<IngestResult> CompleteAsync(ValueTask<RecordPosition> append, string sensorId, Last entry, Reading reading, string topic)
    {
        try
        {
            await append.ConfigureAwait(false);
        }
        catch (Exception e) when (e is LogException or OperationCanceledException)
        {
            Interlocked.Decrement(ref _pending);
            // Not stored: a retransmission of this reading must be stored, not taken for a duplicate.
            _last.TryRemove(KeyValuePair.Create(sensorId, entry));
            return e is LogException le ? StoreFailed(le)
                : Refuse(new IngestResult(IngestRefusal.StoreFailed, "the connection closed before the reading could be stored"));
        }
        Interlocked.Decrement(ref _pending);
        sensors.Seen(sensorId, reading.Timestamp);
        counters.Accept(); // the live feed follows the log: what is stored here reaches dashboards from there
        return IngestResult.Stored;
    }

    private IngestResult StoreFailed(LogException e) =>
        Refuse(new IngestResult(IngestRefusal.StoreFailed, $"the log could not store the reading: {e.Message}"));

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

    // A sensor's last submitted reading; Durable completes when it is stored (set before the entry is published).
    private sealed class Last(long sequence, long ticks)
    {
        public long Sequence { get; } = sequence;

        public long Ticks { get; } = ticks;

        public Task<IngestResult> Durable { get; set; } = null!;
    }
}
