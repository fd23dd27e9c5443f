namespace Edge.Readings;

/// <summary>
/// A sensor reading, the unit of data from sensors to log to consumers. Immutable; validated on construction so an
/// invalid reading can never be encoded (<see cref="ReadingFormatException"/> names the field).
/// </summary>
public sealed record Reading
{
    public const int MaxValues = 32;

    public Reading(string sensorId, string kind, DateTimeOffset timestamp, IReadOnlyList<ReadingValue> values,
        ReadingQuality quality = ReadingQuality.Ok, long sequence = 0)
        : this(sensorId, kind, timestamp, values.ToArray(), quality, sequence, owned: true)
    {
    }

    /// <summary>For the codecs: <paramref name="values"/> is a fresh array nobody else holds, so it is kept, not copied.</summary>
    internal Reading(string sensorId, string kind, DateTimeOffset timestamp, ReadingValue[] values, ReadingQuality quality, long sequence, bool owned)
    {
        _ = owned;
        SensorId = sensorId;
        Kind = kind;
        Timestamp = timestamp.ToUniversalTime();
        Values = values;
        Quality = quality;
        Sequence = sequence;
        ReadingRules.Validate(this);
    }

    /// <summary>True when <paramref name="id"/> is a valid <see cref="SensorId"/> (e.g. one taken from an MQTT topic).</summary>
    public static bool IsValidSensorId(string? id) => ReadingRules.IsValidSensorId(id);

    /// <summary>1–64 characters of [A-Za-z0-9._-].</summary>
    public string SensorId { get; }

    /// <summary>e.g. "traffic.vehicle" (<see cref="ReadingKinds"/>).</summary>
    public string Kind { get; }

    /// <summary>When the sample was taken, UTC, 100 ns resolution.</summary>
    public DateTimeOffset Timestamp { get; }

    public IReadOnlyList<ReadingValue> Values { get; }

    public ReadingQuality Quality { get; }

    /// <summary>Per-sensor sequence number: consecutive readings of a sensor differ by one; a gap is a lost or dropped reading.</summary>
    public long Sequence { get; }

    /// <summary>The value named <paramref name="name"/>, or null.</summary>
    public ReadingValue? this[string name] => Values.FirstOrDefault(v => v.Name == name) is { Name: not null } v ? v : null;

    public bool Equals(Reading? other) =>
        other is not null && SensorId == other.SensorId && Kind == other.Kind && Timestamp.UtcTicks == other.Timestamp.UtcTicks
        && Quality == other.Quality && Sequence == other.Sequence && Values.SequenceEqual(other.Values);

    public override int GetHashCode() => HashCode.Combine(SensorId, Kind, Timestamp.UtcTicks, Sequence);
}
