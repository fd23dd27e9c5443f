namespace Edge.Streams.Configuration;

/// <summary>
/// One rule as written under "Rules:&lt;name&gt;" (STREAMS.md §2). Strings on purpose: <see cref="RuleParser"/> checks
/// each one and names the key in its error, where a binder's conversion error would not say what was expected.
/// </summary>
public sealed class RuleOptions
{
    /// <summary>threshold, aggregate, rate, absence, stuck, sequence or summary.</summary>
    public string? Type { get; set; }

    /// <summary>Reading kind the rule reads (e.g. health.spo2); absence may leave it empty (any kind).</summary>
    public string? Kind { get; set; }

    /// <summary>Comma-separated sensor ids or prefixes ending in '*'; empty = every sensor.</summary>
    public string? Sensors { get; set; }

    /// <summary>Log topic the readings come from; empty = every reading topic.</summary>
    public string? Topic { get; set; }

    /// <summary>"spo2 &lt; 90", "mean(occupancy) &gt; 35 and max(present) &gt;= 1" (STREAMS.md §2.2).</summary>
    public string? Condition { get; set; }

    /// <summary>Hysteresis: the alert clears when this holds (default: when Condition no longer holds).</summary>
    public string? Clear { get; set; }

    /// <summary>How long the condition must hold before the alert is raised (threshold, aggregate).</summary>
    public string? For { get; set; }

    /// <summary>sensor (default), site, or field:&lt;name&gt;.</summary>
    public string? KeyBy { get; set; }

    /// <summary>Window length (aggregate, rate, summary).</summary>
    public string? Window { get; set; }

    /// <summary>Hopping windows: a new window starts every Hop (default: tumbling, Hop = Window).</summary>
    public string? Hop { get; set; }

    /// <summary>Session windows: a key's session ends after this much silence (instead of Window).</summary>
    public string? SessionGap { get; set; }

    /// <summary>absence: silent for Missed × the sensor's interval.</summary>
    public int? Missed { get; set; }

    /// <summary>absence: the expected interval; default learned from the sensor's own readings.</summary>
    public string? Interval { get; set; }

    /// <summary>stuck: the same values this many readings in a row.</summary>
    public int? Count { get; set; }

    /// <summary>stuck: and more than Factor times the key's usual run of equal values (0: Count alone).</summary>
    public double? Factor { get; set; }

    /// <summary>stuck, summary: comma-separated value names (default: every value of the reading).</summary>
    public string? Fields { get; set; }

    /// <summary>sequence: the second event's reading kind (and optional ThenCondition).</summary>
    public string? Then { get; set; }

    public string? ThenCondition { get; set; }

    /// <summary>sequence: how long after the first event the second is looked for.</summary>
    public string? Within { get; set; }

    /// <summary>sequence: "absent" (alert when Then does not follow, the default) or "followed" (alert when it does).</summary>
    public string? Mode { get; set; }

    /// <summary>summary: the topic the window summaries are written to.</summary>
    public string? Output { get; set; }

    /// <summary>summary: comma-separated aggregates (default count,mean,min,max).</summary>
    public string? Aggregates { get; set; }

    /// <summary>false switches a shipped rule off without deleting it.</summary>
    public bool Enabled { get; set; } = true;
}
