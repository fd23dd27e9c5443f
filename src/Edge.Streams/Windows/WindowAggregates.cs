namespace Edge.Streams.Windows;

/// <summary>One window of one key: its bounds and a <see cref="FieldAggregate"/> per value name the rule reads.</summary>
public sealed class WindowAggregates
{
    /// <summary>The aggregate functions a condition or a summary may name.</summary>
    public static readonly IReadOnlySet<string> Functions = new SortedSet<string>(StringComparer.Ordinal)
    {
        "count", "min", "max", "mean", "stddev", "p50", "p95", "first", "last", "rate",
    };

    public long Start { get; set; }
    public long End { get; set; }
    public Dictionary<string, FieldAggregate> Fields { get; set; } = new(StringComparer.Ordinal);

    public void Add(string field, double value, long at, bool sample = true) => Slot(field).Add(value, at, sample);

    /// <summary>The aggregate of <paramref name="field"/>, created empty when the window has none yet.</summary>
    public FieldAggregate Slot(string field)
    {
        if (!Fields.TryGetValue(field, out var f))
        {
            if (_spare is { Count: > 0 })
            {
                f = _spare[^1];
                _spare.RemoveAt(_spare.Count - 1);
            }
            else f = new FieldAggregate();
            Fields[field] = f;
        }
        return f;
    }

    // The aggregates of this window's previous life (Reuse), emptied, for its next fields.
    private List<FieldAggregate>? _spare;

    /// <summary>
    /// Makes a closed window the new, empty window [<paramref name="start"/>, <paramref name="end"/>) with its objects
    /// kept: windows live about a minute, long enough to leave the GC's youngest generation and costly to collect
    /// there; a rule's windows are recycled instead (a closed window is referenced by nothing once judged).
    /// </summary>
    internal WindowAggregates Reuse(long start, long end)
    {
        Start = start;
        End = end;
        foreach (var f in Fields.Values)
        {
            f.Reset();
            (_spare ??= []).Add(f);
        }
        Fields.Clear();
        if (Slots is not null) Array.Clear(Slots);
        return this;
    }

    /// <summary>
    /// <see cref="Fields"/> in the order of a rule's fields (null where the window has none yet), for the rule to
    /// reach them by position instead of by name for every reading. Not serialized: a restored window rebuilds it.
    /// </summary>
    internal FieldAggregate?[]? Slots;

    internal FieldAggregate?[] SlotsFor(string[] fields)
    {
        var slots = new FieldAggregate?[fields.Length];
        for (int i = 0; i < fields.Length; i++) slots[i] = Fields.GetValueOrDefault(fields[i]);
        return slots;
    }

    /// <summary>The aggregate <paramref name="function"/> of <paramref name="field"/>; null when the window saw none.</summary>
    public double? Get(string function, string field)
    {
        if (!Fields.TryGetValue(field, out var f) || f.Count == 0) return function == "count" ? 0 : null;
        return function switch
        {
            "count" => f.Count,
            "min" => f.Min,
            "max" => f.Max,
            "mean" => f.Mean,
            "stddev" => f.StdDev,
            "p50" => f.Percentile(50),
            "p95" => f.Percentile(95),
            "first" => f.First,
            "last" => f.Last,
            "rate" => f.RatePerHour,
            _ => throw new ArgumentException($"unknown aggregate '{function}'", nameof(function)),
        };
    }
}
