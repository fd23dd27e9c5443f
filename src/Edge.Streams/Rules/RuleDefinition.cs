using Edge.Streams.Windows;

namespace Edge.Streams.Rules;

/// <summary>A validated rule (from <see cref="Configuration.RuleParser"/>). Immutable.</summary>
public sealed record RuleDefinition
{
    public required string Name { get; init; }
    public required RuleType Type { get; init; }
    public string? Kind { get; init; }
    public required SensorFilter Sensors { get; init; }
    public string? Topic { get; init; }
    public Condition? Condition { get; init; }
    public Condition? Clear { get; init; }
    public TimeSpan For { get; init; }
    public KeyBy KeyBy { get; init; } = KeyBy.Sensor;
    public string? KeyField { get; init; }
    public WindowSpec? Window { get; init; }
    public int Missed { get; init; }
    public TimeSpan? Interval { get; init; }
    public int Count { get; init; }
    public double Factor { get; init; }
    public IReadOnlyList<string> Fields { get; init; } = [];
    public string? Then { get; init; }
    public Condition? ThenCondition { get; init; }
    public TimeSpan Within { get; init; }
    public bool FollowedMode { get; init; }
    public string? Output { get; init; }
    public IReadOnlyList<string> Aggregates { get; init; } = [];

    /// <summary>The reading kind its alerts carry: "alert." and the name with '-' as '_' (reading kinds allow no '-').</summary>
    public string AlertKind => "alert." + Name.Replace('-', '_');

    /// <summary>A one-line description for {"op":"rules"} and the logs.</summary>
    public string Describe() => Type switch
    {
        RuleType.Threshold => $"{Kind}: {Condition} for {For.TotalSeconds:0.###} s, clears at {ClearText}",
        RuleType.Aggregate or RuleType.Rate => $"{Kind} by {KeyText} over {Window}: {Condition}{(For > TimeSpan.Zero ? $" for {For.TotalSeconds:0.###} s" : "")}, clears at {ClearText}",
        RuleType.Absence => $"{Kind ?? "any kind"}: silent for {Missed} × {(Interval is { } i ? $"{i.TotalSeconds:0.###} s" : "its interval")}",
        RuleType.Stuck => $"{Kind}: the same {(Fields.Count == 0 ? "values" : string.Join(",", Fields))} {Count} times in a row{(Factor > 0 ? $" and {Factor:0.##}x its usual run" : "")}",
        RuleType.Sequence => $"{Kind}{(Condition is null ? "" : $" ({Condition})")} then {(FollowedMode ? "" : "no ")}{Then}{(ThenCondition is null ? "" : $" ({ThenCondition})")} within {Within.TotalSeconds:0.###} s by {KeyText}",
        _ => $"{Kind} by {KeyText} over {Window}: {string.Join(",", Aggregates)} of {string.Join(",", Fields)} -> topic {Output}",
    };

    private string ClearText => Clear is null ? "" : Clear.IsNegationDefault ? $"not ({Clear})" : Clear.ToString();

    private string KeyText => KeyBy == KeyBy.Field ? $"field {KeyField}" : KeyBy.ToString().ToLowerInvariant();

    /// <summary>True when the clear condition holds (the negation of the raise condition when none was configured).</summary>
    public bool? Clears(ReadOnlySpan<Edge.Readings.ReadingValue> values) => Clear!.IsNegationDefault ? !Clear.Holds(values) : Clear.Holds(values);

    public bool? Clears(WindowAggregates w) => Clear!.IsNegationDefault ? !Clear.Holds(w) : Clear.Holds(w);
}
