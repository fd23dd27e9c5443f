using System.Text.RegularExpressions;
using Edge.Readings;
using Edge.Streams.Rules;
using Edge.Streams.Windows;

namespace Edge.Streams.Configuration;

/// <summary>
/// Turns the "Rules" section into <see cref="RuleDefinition"/>s, collecting one error per bad key, each naming it
/// ("Rules:spo2-low:For: 'soon' is not a duration ..."), so a bad rule stops the gateway at start with every mistake
/// listed rather than failing at 3 a.m. on the first matching reading. Pure.
/// </summary>
public static partial class RuleParser
{
    public static IReadOnlyList<RuleDefinition> Parse(IReadOnlyDictionary<string, RuleOptions> rules, List<string> errors)
    {
        var result = new List<RuleDefinition>();
        foreach (var (name, o) in rules.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            if (!o.Enabled) continue;
            int before = errors.Count;
            var rule = ParseOne(name, o, errors);
            if (errors.Count == before && rule is not null) result.Add(rule);
        }
        return result;
    }

    private static RuleDefinition? ParseOne(string name, RuleOptions o, List<string> errors)
    {
        string k = $"Rules:{name}";
        void Error(string key, string message) => errors.Add($"{k}{(key.Length > 0 ? ":" + key : "")}: {message}");
        if (!NamePattern().IsMatch(name))
        {
            Error("", $"the rule name '{name}' must be 1-40 characters of a-z 0-9 '-' (it becomes the alert's kind and MQTT topic level)");
            return null;
        }
        if (!Enum.TryParse<RuleType>(o.Type, ignoreCase: true, out var type) || !Enum.IsDefined(type) || int.TryParse(o.Type, out _))
        {
            Error("Type", $"'{o.Type}' is not a rule type; known: threshold, aggregate, rate, absence, stuck, sequence, summary");
            return null;
        }
        if (o.Kind is { Length: > 0 } kind && !ReadingRulesKind(kind)) Error("Kind", $"'{kind}' is not a reading kind ([a-z0-9._], up to 64 characters)");
        if (type != RuleType.Absence && string.IsNullOrEmpty(o.Kind)) Error("Kind", "is required: the reading kind the rule reads, e.g. health.spo2");
        bool windowed = type is RuleType.Aggregate or RuleType.Rate or RuleType.Summary;
        Condition? condition = null, clear = null, then = null;
        if (type is RuleType.Threshold or RuleType.Aggregate or RuleType.Rate)
        {
            if (!Condition.TryParse(o.Condition, windowed, out condition, out string e)) Error("Condition", e);
            else if (o.Clear is { Length: > 0 })
            {
                if (!Condition.TryParse(o.Clear, windowed, out clear, out e)) Error("Clear", e);
            }
            else clear = condition.Negate();
        }
        if (type == RuleType.Sequence && o.Condition is { Length: > 0 } && !Condition.TryParse(o.Condition, false, out condition, out string se)) Error("Condition", se);
        var forTime = Duration(o.For, "For", TimeSpan.Zero, Error, allowZero: true);
        WindowSpec? window = null;
        if (windowed)
        {
            if (o.SessionGap is { Length: > 0 })
            {
                if (o.Window is { Length: > 0 }) Error("SessionGap", "a rule has either a Window (tumbling/hopping) or a SessionGap (session), not both");
                window = WindowSpec.Session(Duration(o.SessionGap, "SessionGap", null, Error));
            }
            else
            {
                var size = Duration(o.Window, "Window", null, Error);
                var hop = o.Hop is { Length: > 0 } ? Duration(o.Hop, "Hop", null, Error) : size;
                if (hop > size) Error("Hop", $"{o.Hop} is longer than the Window {o.Window}: readings between windows would be in none");
                else if (size > TimeSpan.Zero && hop > TimeSpan.Zero && size.Ticks % hop.Ticks != 0) Error("Hop", $"the Window {o.Window} must be a whole number of Hops {o.Hop}");
                else if (hop > TimeSpan.Zero && size / hop > 60) Error("Hop", $"a reading would be in {size / hop:0} windows; at most 60");
                window = WindowSpec.Hopping(size, hop);
            }
        }
        var keyBy = KeyBy.Sensor;
        string? keyField = null;
        if (o.KeyBy is { Length: > 0 } kb)
        {
            if (kb.StartsWith("field:", StringComparison.Ordinal) && kb.Length > 6) { keyBy = KeyBy.Field; keyField = kb[6..]; }
            else if (!Enum.TryParse(kb, ignoreCase: true, out keyBy) || keyBy == KeyBy.Field || int.TryParse(kb, out _)) Error("KeyBy", $"'{kb}' is not sensor, site or field:<value name>");
        }
        int missed = 0, count = 0;
        TimeSpan? interval = null;
        if (type == RuleType.Absence)
        {
            missed = o.Missed ?? 0;
            if (missed is < 2 or > 10_000) Error("Missed", $"{(o.Missed is null ? "is required" : $"{o.Missed} is outside 2..10000")}: the number of intervals a sensor may stay silent");
            if (o.Interval is { Length: > 0 }) interval = Duration(o.Interval, "Interval", null, Error);
        }
        if (type == RuleType.Stuck)
        {
            count = o.Count ?? 0;
            if (count is < 2 or > 100_000) Error("Count", $"{(o.Count is null ? "is required" : $"{o.Count} is outside 2..100000")}: how many identical readings in a row mean stuck");
            if (o.Factor is { } f && (f < 0 || f > 1000 || !double.IsFinite(f))) Error("Factor", $"{f} is outside 0..1000");
        }
        var within = TimeSpan.Zero;
        bool followed = false;
        if (type == RuleType.Sequence)
        {
            if (o.Then is not { Length: > 0 } t || !ReadingRulesKind(t)) Error("Then", $"'{o.Then}' is not a reading kind: the second event of the sequence");
            if (o.ThenCondition is { Length: > 0 } && !Condition.TryParse(o.ThenCondition, false, out then, out string te)) Error("ThenCondition", te);
            within = Duration(o.Within, "Within", null, Error);
            followed = o.Mode switch
            {
                null or "" or "absent" => false,
                "followed" => true,
                _ => Fail(() => Error("Mode", $"'{o.Mode}' is not absent or followed")),
            };
        }
        var fields = Split(o.Fields);
        foreach (var f in fields) if (!FieldPattern().IsMatch(f)) Error("Fields", $"'{f}' is not a value name ([a-z0-9_], up to 32 characters)");
        var aggregates = Split(o.Aggregates);
        if (type == RuleType.Summary)
        {
            if (fields.Count == 0) Error("Fields", "is required: the values to summarise, e.g. occupancy,count");
            if (aggregates.Count == 0) aggregates = ["count", "mean", "min", "max"];
            foreach (var a in aggregates) if (!WindowAggregates.Functions.Contains(a)) Error("Aggregates", $"'{a}' is not an aggregate; known: {string.Join(", ", WindowAggregates.Functions)}");
            if (fields.Count * aggregates.Count > Reading.MaxValues) Error("Aggregates", $"{fields.Count} fields × {aggregates.Count} aggregates is more than the {Reading.MaxValues} values a reading holds");
            if (o.Output is not { Length: > 0 } || o.Output.StartsWith('_')) Error("Output", $"'{o.Output}' must name the topic the summaries go to (not an internal '_' topic)");
            if (window is { IsSession: true }) Error("SessionGap", "summaries use a fixed Window");
        }
        return new RuleDefinition
        {
            Name = name,
            Type = type,
            Kind = o.Kind is { Length: > 0 } ? o.Kind : null,
            Sensors = new SensorFilter(Split(o.Sensors)),
            Topic = o.Topic is { Length: > 0 } ? o.Topic : null,
            Condition = condition,
            Clear = clear,
            For = forTime,
            KeyBy = keyBy,
            KeyField = keyField,
            Window = window,
            Missed = missed,
            Interval = interval,
            Count = count,
            Factor = o.Factor ?? 0,
            Fields = fields,
            Then = o.Then,
            ThenCondition = then,
            Within = within,
            FollowedMode = followed,
            Output = o.Output,
            Aggregates = aggregates,
        };
    }

    private static bool Fail(Action report)
    {
        report();
        return false;
    }

    private static TimeSpan Duration(string? text, string key, TimeSpan? fallback, Action<string, string> error, bool allowZero = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            if (fallback is { } f) return f;
            error(key, $"is required: a duration such as {DurationSyntax.Examples}");
            return TimeSpan.Zero;
        }
        if (allowZero && text.Trim() is "0" or "0s") return TimeSpan.Zero;
        if (!DurationSyntax.TryParse(text, out var d))
        {
            error(key, $"'{text}' is not a duration such as {DurationSyntax.Examples}");
            return TimeSpan.Zero;
        }
        return d;
    }

    private static List<string> Split(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static bool ReadingRulesKind(string kind) => kind.Length <= 64 && KindPattern().IsMatch(kind);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z0-9._]{1,64}$")]
    private static partial Regex KindPattern();

    [GeneratedRegex("^[a-z0-9_]{1,32}$")]
    private static partial Regex FieldPattern();
}
