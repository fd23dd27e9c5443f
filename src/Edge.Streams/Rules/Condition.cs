using System.Globalization;
using System.Text.RegularExpressions;
using Edge.Streams.Windows;

namespace Edge.Streams.Rules;

/// <summary>
/// Terms joined by "and" (STREAMS.md §2.2). Deliberately no "or", no parentheses and no arithmetic: a rule that needs
/// them is two rules, and a condition a nurse can read aloud is one she can check.
/// </summary>
public sealed partial class Condition
{
    // An array, looped over by index: a foreach over the IReadOnlyList boxed an enumerator for every reading and rule.
    private readonly Term[] _terms;

    private Condition(IReadOnlyList<Term> terms) => _terms = [.. terms];

    public IReadOnlyList<Term> Terms => _terms;

    /// <summary>True when the condition holds on <paramref name="values"/>; null when a field it needs is missing.</summary>
    public bool? Holds(ReadOnlySpan<Edge.Readings.ReadingValue> values)
    {
        foreach (var t in _terms)
        {
            if (!TryFind(values, t.Field, out double x)) return null;
            if (!t.Holds(x)) return false;
        }
        return true;
    }

    /// <summary>The same on a window's aggregates; null when the window saw none of a field.</summary>
    public bool? Holds(WindowAggregates window)
    {
        foreach (var t in _terms)
        {
            if (window.Get(t.Function!, t.Field) is not { } x) return null;
            if (!t.Holds(x)) return false;
        }
        return true;
    }

    /// <summary>The negation, as the default clear condition (no hysteresis).</summary>
    public bool IsNegationDefault { get; private init; }

    public override string ToString() => string.Join(" and ", Terms);

    internal static bool TryFind(ReadOnlySpan<Edge.Readings.ReadingValue> values, string name, out double value)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (string.Equals(values[i].Name, name, StringComparison.Ordinal))
            {
                value = values[i].Value;
                return true;
            }
        }
        value = 0;
        return false;
    }

    /// <summary>Parses <paramref name="text"/>; <paramref name="windowed"/> requires a function on every term, else forbids one.</summary>
    public static bool TryParse(string? text, bool windowed, out Condition condition, out string error)
    {
        condition = null!;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = windowed ? "is required, e.g. \"mean(occupancy) > 35\"" : "is required, e.g. \"spo2 < 90\"";
            return false;
        }
        var terms = new List<Term>();
        foreach (string part in AndSplit().Split(text.Trim()))
        {
            var m = TermPattern().Match(part.Trim());
            if (!m.Success)
            {
                error = $"'{part.Trim()}' is not a comparison such as {(windowed ? "\"mean(occupancy) > 35\"" : "\"spo2 < 90\"")} (terms joined by 'and')";
                return false;
            }
            string? function = m.Groups["fn"].Success ? m.Groups["fn"].Value : null;
            if (windowed && function is null)
            {
                error = $"'{part.Trim()}': a windowed rule compares aggregates; write e.g. mean({m.Groups["field"].Value}) (functions: {string.Join(", ", WindowAggregates.Functions)})";
                return false;
            }
            if (!windowed && function is not null)
            {
                error = $"'{part.Trim()}': aggregates need a Window; without one a condition compares the reading's own values";
                return false;
            }
            if (function is not null && !WindowAggregates.Functions.Contains(function))
            {
                error = $"'{function}' is not an aggregate; known: {string.Join(", ", WindowAggregates.Functions)}";
                return false;
            }
            if (!double.TryParse(m.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                error = $"'{m.Groups["value"].Value}' is not a number";
                return false;
            }
            var op = m.Groups["op"].Value switch
            {
                "<" => Comparison.Less,
                "<=" => Comparison.LessOrEqual,
                ">" => Comparison.Greater,
                ">=" => Comparison.GreaterOrEqual,
                "==" or "=" => Comparison.Equal,
                _ => Comparison.NotEqual,
            };
            terms.Add(new Term(function, m.Groups["field"].Value, op, value));
        }
        condition = new Condition(terms);
        return true;
    }

    /// <summary>The clear condition when none is configured: the negation of a one-term condition.</summary>
    public Condition Negate()
    {
        if (Terms.Count != 1) return new Condition(Terms) { IsNegationDefault = true };
        var t = Terms[0];
        var op = t.Op switch
        {
            Comparison.Less => Comparison.GreaterOrEqual,
            Comparison.LessOrEqual => Comparison.Greater,
            Comparison.Greater => Comparison.LessOrEqual,
            Comparison.GreaterOrEqual => Comparison.Less,
            Comparison.Equal => Comparison.NotEqual,
            _ => Comparison.Equal,
        };
        return new Condition([t with { Op = op }]);
    }

    [GeneratedRegex(@"\s+and\s+", RegexOptions.IgnoreCase)]
    private static partial Regex AndSplit();

    [GeneratedRegex(@"^(?:(?<fn>[a-z0-9_]+)\(\s*(?<field>[a-z0-9_]{1,32})\s*\)|(?<field>[a-z0-9_]{1,32}))\s*(?<op><=|>=|==|!=|<|>|=)\s*(?<value>[-+0-9.eE]+)$")]
    private static partial Regex TermPattern();
}
