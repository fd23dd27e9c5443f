using Edge.Readings;
using Edge.Streams.Rules;

namespace Edge.Streams.Engine;

/// <summary>
/// "Silent for N × its interval": a key whose last reading is older than Missed × interval on the rule clock is raised
/// (at last + limit, episode = the last reading's time); its next reading clears it. When that next reading arrives
/// before the clock noticed the silence (a partition replayed ahead of the others), the gap itself raises and clears
/// at once — the same two events with the same keys as a live run (STREAMS.md §6). The interval is the configured
/// one, else learned: an exponential average (α = 1/8, like TCP's smoothed RTT, RFC 6298 §2) of the gaps that were not
/// outages; no alert until two readings have shown one.
/// </summary>
internal sealed class AbsenceEvaluator(RuleDefinition rule) : RuleEvaluator<AbsenceEvaluator.KeyState>(rule)
{
    private readonly double? _fixedMs = rule.Interval?.TotalMilliseconds;
    private int _raised;

    internal sealed class KeyState : EpisodeState
    {
        public long Last { get; set; }

        public double IntervalMs { get; set; }
    }

    public override int RaisedCount => _raised;

    private long Limit(KeyState s) => (long)(Rule.Missed * s.IntervalMs);

    public override void OnReading(string key, int keyIndex, ReadingView reading, long t, Emitter emit)
    {
        bool known = States.TryGetValue(key, out var s);
        s ??= State(key);
        if (!known)
        {
            s.Last = t;
            s.IntervalMs = _fixedMs ?? 0;
            Deadline(s);
            return;
        }
        if (t <= s.Last) return; // an older or repeated reading says nothing about silence now
        long gap = t - s.Last;
        if (s.IntervalMs > 0 && gap > Limit(s))
        {
            if (!s.Raised) Raise(key, s, emit);
            s.Raised = false;
            _raised--;
            emit.Alert(Rule, key, false, t, s.EpisodeStart, s.Last, t, [new ReadingValue("silent", gap / 1000.0, "s")], s.Episode);
        }
        else if (_fixedMs is null)
        {
            s.IntervalMs = s.IntervalMs == 0 ? gap : s.IntervalMs + (gap - s.IntervalMs) / 8;
        }
        s.Last = t;
        Deadline(s);
    }

    private void Raise(string key, KeyState s, Emitter emit)
    {
        s.Raised = true;
        s.EpisodeStart = s.Last;
        s.Episode++;
        _raised++;
        long limit = Limit(s);
        emit.Alert(Rule, key, true, s.Last + limit, s.Last, s.Last, s.Last + limit, [new ReadingValue("interval", Math.Round(s.IntervalMs / 1000.0, 3), "s")], s.Episode);
    }

    private void Deadline(KeyState s)
    {
        if (s.IntervalMs > 0) NextDeadline = Math.Min(NextDeadline, s.Last + Limit(s) + 1);
    }

    public override void OnClock(long clock, Emitter emit)
    {
        long next = long.MaxValue;
        foreach (var (key, s) in States)
        {
            if (s.Raised || s.IntervalMs <= 0) continue;
            long deadline = s.Last + Limit(s) + 1;
            if (deadline <= clock) Raise(key, s, emit);
            else next = Math.Min(next, deadline);
        }
        NextDeadline = next;
    }

    public override IEnumerable<string?> Kinds => [Rule.Kind];

    public override void LoadState(string json)
    {
        base.LoadState(json);
        _raised = States.Values.Count(s => s.Raised);
    }
}
