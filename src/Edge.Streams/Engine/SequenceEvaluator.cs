using Edge.Readings;
using Edge.Streams.Rules;

namespace Edge.Streams.Engine;

/// <summary>
/// "A then B within T" on one key. Mode absent (a fall, then no movement for 60 s): raised when the rule clock passes
/// A + T with no B (or when a B arrives later than that, before the clock did), cleared by the next B or the next A.
/// Mode followed (loop occupancy then a magnetometer event): raised at the B that comes within T of an A, cleared
/// when the clock passes A + T. Episode = A's event time, so replays give the same keys.
/// </summary>
internal sealed class SequenceEvaluator(RuleDefinition rule) : RuleEvaluator<SequenceEvaluator.KeyState>(rule)
{
    private readonly long _withinMs = (long)rule.Within.TotalMilliseconds;
    private int _raised;

    internal sealed class KeyState : EpisodeState
    {
        public long? PendingA { get; set; }
    }

    public override int RaisedCount => _raised;

    public override IEnumerable<string?> Kinds => Rule.Kind == Rule.Then ? [Rule.Kind] : [Rule.Kind, Rule.Then];

    public override void OnReading(string key, int keyIndex, ReadingView reading, long t, Emitter emit)
    {
        var s = State(key, keyIndex);
        bool isA = reading.Kind == Rule.Kind && (Rule.Condition is null || Rule.Condition.Holds(reading.Values) == true);
        bool isB = reading.Kind == Rule.Then && (Rule.ThenCondition is null || Rule.ThenCondition.Holds(reading.Values) == true);
        if (isB && !isA)
        {
            if (Rule.FollowedMode)
            {
                if (s.PendingA is { } a && t - a <= _withinMs && !s.Raised) Raise(key, s, a, t, a, t, reading.Values, emit);
            }
            else
            {
                if (s.PendingA is { } a && t - a > _withinMs && !s.Raised) Raise(key, s, a, a + _withinMs, a, a + _withinMs, [], emit);
                if (s.Raised) Clear(key, s, t, emit);
                s.PendingA = null;
            }
            return;
        }
        if (!isA) return;
        if (!Rule.FollowedMode)
        {
            if (s.PendingA is { } a && t - a > _withinMs && !s.Raised) Raise(key, s, a, a + _withinMs, a, a + _withinMs, [], emit);
            if (s.Raised) Clear(key, s, t, emit);
        }
        else if (s.Raised) Clear(key, s, Math.Min(t, s.EpisodeStart + _withinMs), emit);
        s.PendingA = t;
        NextDeadline = Math.Min(NextDeadline, t + _withinMs + 1);
    }

    public override void OnClock(long clock, Emitter emit)
    {
        long next = long.MaxValue;
        foreach (var (key, s) in States)
        {
            if (Rule.FollowedMode)
            {
                if (s.Raised && s.EpisodeStart + _withinMs < clock) Clear(key, s, s.EpisodeStart + _withinMs, emit);
                if (s.PendingA is { } a && a + _withinMs < clock) s.PendingA = null;
            }
            else if (s.PendingA is { } a && !s.Raised && a + _withinMs < clock)
            {
                Raise(key, s, a, a + _withinMs, a, a + _withinMs, [], emit);
            }
            if (s.PendingA is { } p && (!s.Raised || Rule.FollowedMode)) next = Math.Min(next, p + _withinMs + 1);
            if (Rule.FollowedMode && s.Raised) next = Math.Min(next, s.EpisodeStart + _withinMs + 1);
        }
        NextDeadline = next;
    }

    private void Raise(string key, KeyState s, long episode, long at, long from, long to, ReadOnlySpan<ReadingValue> values, Emitter emit)
    {
        s.Raised = true;
        s.EpisodeStart = episode;
        s.Episode++;
        _raised++;
        if (!Rule.FollowedMode) s.PendingA = null;
        emit.Alert(Rule, key, true, at, episode, from, to, [.. values[..Math.Min(values.Length, Reading.MaxValues - 4)]], s.Episode);
    }

    private void Clear(string key, KeyState s, long at, Emitter emit)
    {
        s.Raised = false;
        _raised--;
        emit.Alert(Rule, key, false, at, s.EpisodeStart, s.EpisodeStart, at, [], s.Episode);
    }

    public override void LoadState(string json)
    {
        base.LoadState(json);
        _raised = States.Values.Count(s => s.Raised);
    }
}
