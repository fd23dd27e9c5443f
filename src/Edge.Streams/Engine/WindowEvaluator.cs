using Edge.Readings;
using Edge.Streams.Rules;
using Edge.Streams.Windows;

namespace Edge.Streams.Engine;

/// <summary>
/// Windowed rules (aggregate, rate, summary): readings of a key go into the windows that contain their event time; a
/// window closes when the rule clock passes its end, and then — in window order per key — its aggregates are checked
/// against the condition (raise when it has held over windows spanning <see cref="RuleDefinition.For"/>, clear when
/// Clear holds) or written out as a summary. A reading for a window that has already closed (possible only after an
/// idle partition let the clock run ahead, STREAMS.md §3.3) is counted late and left out.
/// </summary>
internal sealed class WindowEvaluator : RuleEvaluator<WindowEvaluator.KeyState>
{
    private readonly WindowSpec _window;
    private readonly string[] _fields;
    private readonly List<long> _starts = [];
    private readonly long _forMs;
    private readonly bool _percentiles;
    private long _clock = long.MinValue;
    private int _raised;
    // Closed windows, to be reused as new ones (WindowAggregates.Reuse): not state, nothing a checkpoint saves.
    private readonly Stack<WindowAggregates> _closed = new();

    internal sealed class KeyState : EpisodeState
    {
        public List<WindowAggregates> Open { get; set; } = [];

        /// <summary>Start of the first window of the current run of windows where the condition holds.</summary>
        public long? Since { get; set; }
    }

    public WindowEvaluator(RuleDefinition rule) : base(rule)
    {
        _window = rule.Window!;
        _forMs = (long)rule.For.TotalMilliseconds;
        // Percentile samples cost memory and checkpoint bytes: kept only when the rule reads p50 or p95.
        _percentiles = rule.Aggregates.Any(a => a is "p50" or "p95")
            || new[] { rule.Condition, rule.Clear }.Any(c => c is not null && c.Terms.Any(t => t.Function is "p50" or "p95"));
        _fields = rule.Type == RuleType.Summary ? [.. rule.Fields] : rule.Condition!.Terms.Select(t => t.Field).Concat(rule.Clear!.Terms.Select(t => t.Field)).Distinct().ToArray();
    }

    public override int RaisedCount => _raised;

    public override void OnReading(string key, int keyIndex, ReadingView reading, long t, Emitter emit)
    {
        var s = State(key, keyIndex);
        if (_window.IsSession)
        {
            var open = s.Open.Count > 0 ? s.Open[^1] : null;
            if (open is not null && t >= open.End)
            {
                Close(key, s, open, emit); // the gap passed before the clock noticed
                s.Open.Clear();
                _closed.Push(open);
                open = null;
            }
            if (open is null)
            {
                if (t + _window.GapMs <= _clock) { Late++; return; }
                s.Open.Add(open = New(t, t + _window.GapMs));
            }
            Add(open, reading, t);
            open.End = Math.Max(open.End, t + _window.GapMs);
            NextDeadline = Math.Min(NextDeadline, open.End);
            return;
        }
        _window.StartsFor(t, _starts);
        foreach (long start in _starts)
        {
            long end = start + _window.SizeMs;
            if (end <= _clock) { Late++; continue; }
            // Open is in start order and a reading's windows are mostly the newest: search from the end.
            var open = s.Open;
            int i = open.Count - 1;
            while (i >= 0 && open[i].Start > start) i--;
            WindowAggregates w;
            if (i >= 0 && open[i].Start == start) w = open[i];
            else
            {
                w = New(start, end);
                open.Insert(i + 1, w);
                NextDeadline = Math.Min(NextDeadline, end);
            }
            Add(w, reading, t);
        }
    }

    private WindowAggregates New(long start, long end) =>
        _closed.TryPop(out var w) ? w.Reuse(start, end) : new WindowAggregates { Start = start, End = end };

    private void Add(WindowAggregates w, ReadingView reading, long t)
    {
        var values = reading.Values;
        var slots = w.Slots ??= w.SlotsFor(_fields);
        for (int i = 0; i < _fields.Length; i++)
            if (Condition.TryFind(values, _fields[i], out double v)) (slots[i] ??= w.Slot(_fields[i])).Add(v, t, _percentiles);
    }

    public override void OnClock(long clock, Emitter emit)
    {
        _clock = Math.Max(_clock, clock);
        long next = long.MaxValue;
        foreach (var (key, s) in States)
        {
            int closed = 0;
            while (closed < s.Open.Count && s.Open[closed].End <= _clock) Close(key, s, s.Open[closed++], emit);
            for (int i = 0; i < closed; i++) _closed.Push(s.Open[i]);
            if (closed > 0) s.Open.RemoveRange(0, closed);
            foreach (var o in s.Open) next = Math.Min(next, o.End);
        }
        NextDeadline = next;
    }

    private void Close(string key, KeyState s, WindowAggregates w, Emitter emit)
    {
        if (Rule.Type == RuleType.Summary)
        {
            var values = new List<ReadingValue>();
            foreach (var f in Rule.Fields)
                foreach (var a in Rule.Aggregates)
                    if (w.Get(a, f) is { } x && double.IsFinite(x)) values.Add(new ReadingValue($"{f}_{a}".Length <= 32 ? $"{f}_{a}" : a, Math.Round(x, 4), ""));
            emit.Summary(Rule, key, Rule.Kind + ".summary", w.Start, w.End, values);
            return;
        }
        if (!s.Raised)
        {
            bool? holds = Rule.Condition!.Holds(w);
            if (holds != true)
            {
                if (holds == false) s.Since = null;
                return;
            }
            s.Since ??= w.Start;
            if (w.End - s.Since.Value < Math.Max(_forMs, 0)) return;
            s.Raised = true;
            s.EpisodeStart = s.Since.Value;
            s.Episode++;
            _raised++;
            emit.Alert(Rule, key, true, w.End, s.EpisodeStart, w.Start, w.End, Triggering(w), s.Episode);
        }
        else if (Rule.Clears(w) == true)
        {
            s.Raised = false;
            s.Since = null;
            _raised--;
            emit.Alert(Rule, key, false, w.End, s.EpisodeStart, w.Start, w.End, Triggering(w), s.Episode);
        }
    }

    private List<ReadingValue> Triggering(WindowAggregates w)
    {
        var list = new List<ReadingValue>();
        foreach (var t in Rule.Condition!.Terms)
            if (w.Get(t.Function!, t.Field) is { } x && double.IsFinite(x) && list.TrueForAll(v => v.Name != t.ValueName))
                list.Add(new ReadingValue(t.ValueName, Math.Round(x, 4), ""));
        return list;
    }

    public override void LoadState(string json)
    {
        base.LoadState(json);
        _raised = States.Values.Count(s => s.Raised);
    }

    /// <summary>The clock this rule has closed windows up to (restored with the engine's clock).</summary>
    public long Clock
    {
        get => _clock;
        set => _clock = value;
    }
}
