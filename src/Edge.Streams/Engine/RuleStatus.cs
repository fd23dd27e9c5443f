namespace Edge.Streams.Engine;

/// <summary>A rule as {"op":"rules"} and the status message show it.</summary>
/// <param name="Matched">Readings the rule has evaluated.</param>
/// <param name="Late">Readings left out because they came after their window or partition watermark (STREAMS.md §3.2).</param>
/// <param name="Raised">Keys whose alert is raised now.</param>
public sealed record RuleStatus(string Name, string Type, string Description, long Matched, long Late, int Raised);
