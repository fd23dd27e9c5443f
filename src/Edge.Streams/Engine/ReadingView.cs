using Edge.Readings;

namespace Edge.Streams.Engine;

/// <summary>
/// The reading the rules are evaluating: one instance per engine, refilled for every record — from stored bytes by
/// <see cref="StoredReadingParser"/> (the service's path: no <see cref="Reading"/> and no values array per record) or
/// from a decoded <see cref="Reading"/>. Its strings are shared (interned per engine) and its values buffer is reused,
/// so a rule that keeps something copies it. Not thread-safe (the engine's one thread).
/// </summary>
internal sealed class ReadingView
{
    private readonly ReadingValue[] _values = new ReadingValue[Reading.MaxValues];

    public string SensorId { get; private set; } = "";

    public string Kind { get; private set; } = "";

    /// <summary>Event time, Unix ms.</summary>
    public long TimeMs { get; private set; }

    /// <summary>The sensor's slot in the engine's <see cref="SensorTable"/>: rules keyed by sensor index their state with it.</summary>
    public int SensorIndex { get; private set; }

    public int Count { get; private set; }

    public ReadOnlySpan<ReadingValue> Values => _values.AsSpan(0, Count);

    public void Set(string sensorId, int sensorIndex, string kind, long timeMs)
    {
        SensorId = sensorId;
        SensorIndex = sensorIndex;
        Kind = kind;
        TimeMs = timeMs;
        Count = 0;
    }

    public void Add(in ReadingValue value) => _values[Count++] = value;
}
