namespace Edge.Local.Status;

/// <summary>One rule as {"op":"rules"} shows it (QUERY.md).</summary>
/// <param name="Type">threshold, trend, absence, stuck, sequence or aggregate (STREAMS.md).</param>
/// <param name="Description">The rule in words, e.g. "spo2 &lt; 90 for 30s".</param>
/// <param name="Matched">Readings the rule has evaluated.</param>
/// <param name="Late">Readings left out because they came after their window or partition watermark.</param>
/// <param name="RaisedKeys">Keys (sensor, site, ...) whose alert is raised now, in order.</param>
public sealed record RuleSnapshot(string Name, string Type, string Description, long Matched, long Late, IReadOnlyList<string> RaisedKeys);
