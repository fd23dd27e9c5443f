namespace Edge.Streams.Rules;

/// <summary>The comparison operators a condition term may use.</summary>
public enum Comparison
{
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
}
