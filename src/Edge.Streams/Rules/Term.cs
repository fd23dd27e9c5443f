namespace Edge.Streams.Rules;

/// <summary>
/// One comparison of a condition: <c>field op value</c> on a reading, or <c>function(field) op value</c> on a window's
/// aggregates. Equality is exact (values are the sensors' rounded numbers, so "present == 1" means what it says).
/// </summary>
public sealed record Term(string? Function, string Field, Comparison Op, double Value)
{
    /// <summary>The name the triggering value carries in an alert: "spo2", "mean_occupancy".</summary>
    public string ValueName => Function is null ? Field : Function.Length + Field.Length < 32 ? $"{Function}_{Field}" : Field;

    public bool Holds(double x) => Op switch
    {
        Comparison.Less => x < Value,
        Comparison.LessOrEqual => x <= Value,
        Comparison.Greater => x > Value,
        Comparison.GreaterOrEqual => x >= Value,
        Comparison.Equal => x == Value,
        _ => x != Value,
    };

    public override string ToString() => $"{(Function is null ? Field : $"{Function}({Field})")} {Symbol(Op)} {Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    internal static string Symbol(Comparison op) => op switch
    {
        Comparison.Less => "<",
        Comparison.LessOrEqual => "<=",
        Comparison.Greater => ">",
        Comparison.GreaterOrEqual => ">=",
        Comparison.Equal => "==",
        _ => "!=",
    };
}
