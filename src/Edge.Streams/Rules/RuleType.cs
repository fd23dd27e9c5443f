namespace Edge.Streams.Rules;

/// <summary>The rule kinds of STREAMS.md §2.1.</summary>
public enum RuleType
{
    Threshold,
    Aggregate,
    Rate,
    Absence,
    Stuck,
    Sequence,
    Summary,
}
