using Edge.Readings;
using Edge.Streams.Rules;

namespace Edge.Streams.Engine;

/// <summary>
/// "spo2 &lt; 90 for 30 s": raised by the first reading at which the condition has held, reading after reading, for
/// <see cref="RuleDefinition.For"/>; cleared by the first reading at which the Clear condition holds (hysteresis: between
/// the two nothing changes, so a value hovering at the threshold is one alert, not a flurry). Held time is event time
/// between readings of the key: a sensor that goes silent while the condition holds raises nothing until it speaks.
/// </summary>
internal sealed class ThresholdEvaluator(RuleDefinition rule) : RuleEvaluator<ThresholdEvaluator.KeyState>(rule)
{
    private readonly long _forMs = (long)rule.For.TotalMilliseconds;
    private int _raised;

    internal sealed class KeyState : EpisodeState
    {
        /// <summary>Event time of the first reading of the current run where the condition holds; null when it does not.</summary>
        public long? Since { get; set; }
    }

    public override int RaisedCount => _raised;

    public override void OnReading(string key, int keyIndex, ReadingView reading, long t, Emitter emit)
    {
        var values = reading.Values;
        var s = State(key, keyIndex);
        if (!s.Raised)
        {
            bool? holds = Rule.Condition!.Holds(values);
            if (holds is null) return;
            if (holds == false)
            {
                s.Since = null;
                return;
            }
            s.Since ??= t;
            if (t - s.Since.Value < _forMs) return;
            s.Raised = true;
            s.EpisodeStart = s.Since.Value;
            s.Episode++;
            _raised++;
            emit.Alert(Rule, key, true, t, s.EpisodeStart, s.EpisodeStart, t, Triggering(values), s.Episode);
        }
        else if (Rule.Clears(values) == true)
        {
            s.Raised = false;
            s.Since = null;
            _raised--;
            emit.Alert(Rule, key, false, t, s.EpisodeStart, s.EpisodeStart, t, Triggering(values), s.Episode);
        }
    }

    public override void LoadState(string json)
    {
        base.LoadState(json);
        _raised = States.Values.Count(s => s.Raised);
        NextDeadline = long.MaxValue;
    }

    private List<ReadingValue> Triggering(ReadOnlySpan<ReadingValue> values)
    {
        var terms = Rule.Condition!.Terms;
        var list = new List<ReadingValue>(terms.Count);
        foreach (var v in values)
            for (int i = 0; i < terms.Count; i++)
                if (terms[i].Field == v.Name)
                {
                    list.Add(v);
                    break;
                }
        return list;
    }
}
