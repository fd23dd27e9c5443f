using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Edge.Streams.Rules;

namespace Edge.Streams.Engine;

/// <summary>
/// One rule's logic and its per-key state. Fed readings of its keys in each partition's offset order, and the rule
/// clock (the engine's watermark, STREAMS.md §3) whenever that passes <see cref="NextDeadline"/>. Its state is what a
/// checkpoint saves: nothing else about it may change what it emits. Not thread-safe (the engine's one thread).
/// </summary>
internal abstract class RuleEvaluator(RuleDefinition rule)
{
    public RuleDefinition Rule { get; } = rule;

    /// <summary>
    /// The rule clock value at which <see cref="OnClock"/> has something to do; long.MaxValue for never. It may lie
    /// behind the clock: a reading from a partition that did not hold the clock back (it was idle, STREAMS.md §3.1)
    /// opens a window or arms a deadline the clock has passed, due at the clock's next step. It is
    /// part of the state a checkpoint saves (the engine restores it), so a restored rule fires that step as well.
    /// </summary>
    public long NextDeadline { get; set; } = long.MaxValue;

    public long Matched { get; set; }

    public long Late { get; set; }

    /// <summary>Keys whose alert is raised now (for status and {"op":"rules"}).</summary>
    public abstract int RaisedCount { get; }

    /// <summary>The reading kinds this rule reads (null: every kind).</summary>
    public virtual IEnumerable<string?> Kinds => [Rule.Kind];

    /// <summary>
    /// Evaluates <paramref name="reading"/> (event time <paramref name="t"/>) for <paramref name="key"/>.
    /// <paramref name="keyIndex"/> is the key's small index when the rule is keyed by sensor (the sensor's
    /// <see cref="SensorTable"/> index), else -1. The view is reused for the next record: keep copies, not it.
    /// </summary>
    public abstract void OnReading(string key, int keyIndex, ReadingView reading, long t, Emitter emit);

    public virtual void OnClock(long clock, Emitter emit)
    {
    }

    public abstract string SaveState();

    public abstract void LoadState(string json);
}

/// <summary>A <see cref="RuleEvaluator"/> whose state is one <typeparamref name="TState"/> per key, saved as JSON.</summary>
internal abstract class RuleEvaluator<TState>(RuleDefinition rule) : RuleEvaluator(rule) where TState : class, new()
{
    protected Dictionary<string, TState> States { get; private set; } = new(StringComparer.Ordinal);

    // States by key index (rules keyed by sensor): the same objects as in States, reached without hashing the key for
    // every reading. Rebuilt as keys are met; cleared when States is replaced.
    private TState?[] _byIndex = [];

    protected TState State(string key)
    {
        if (!States.TryGetValue(key, out var s)) States[key] = s = new TState();
        return s;
    }

    /// <summary><see cref="State(string)"/>, through the key's index when it has one (&gt;= 0; always the same key for the same index).</summary>
    protected TState State(string key, int index)
    {
        var byIndex = _byIndex;
        if ((uint)index < (uint)byIndex.Length && byIndex[index] is { } cached) return cached;
        var s = State(key);
        if (index >= 0)
        {
            if (index >= byIndex.Length) Array.Resize(ref _byIndex, Math.Max(index + 1, 2 * byIndex.Length));
            _byIndex[index] = s;
        }
        return s;
    }

    // Generated at build time for each rule kind's state (StateJsonContext).
    private static readonly JsonTypeInfo<Dictionary<string, TState>> Json =
        (JsonTypeInfo<Dictionary<string, TState>>)(StateJsonContext.Default.GetTypeInfo(typeof(Dictionary<string, TState>))
            ?? throw new InvalidOperationException($"{typeof(TState)} is not listed in {nameof(StateJsonContext)}"));

    public override string SaveState() => JsonSerializer.Serialize(States, Json);

    public override void LoadState(string json)
    {
        States = new Dictionary<string, TState>(JsonSerializer.Deserialize<Dictionary<string, TState>>(json, Json) ?? [], StringComparer.Ordinal);
        _byIndex = [];
        NextDeadline = long.MinValue; // a checkpoint without it (older): the next clock step recomputes it
    }
}
