using Edge.Readings;
using Edge.Streams.Rules;

namespace Edge.Streams.Engine;

/// <summary>
/// "The same value N times": a key whose compared values (Fields, or all of them) are bit-for-bit the same in Count
/// readings in a row — and, with Factor &gt; 0, in more than Factor times as many as its runs of equal values usually
/// last (an exponential average of the finished runs, α = 1/8) — is raised; the first reading that differs clears it.
/// Exact equality is right: sensors round their output (BME280 to 0.01 °C / 0.01 hPa / 0.01 %). The Factor is what
/// tells a frozen sensor from a slow signal: near its daily minimum the simulated weather stays within one rounding
/// step for minutes, but it gets there through runs that lengthen gradually, while a frozen sensor's run is many
/// times its usual one (STREAMS.md §2.3).
/// </summary>
internal sealed class StuckEvaluator(RuleDefinition rule) : RuleEvaluator<StuckEvaluator.KeyState>(rule)
{
    private int _raised;

    internal sealed class KeyState : EpisodeState
    {
        public double[] Last { get; set; } = [];

        public int Run { get; set; }

        public long RunStart { get; set; }

        /// <summary>Exponential average of the lengths of the finished runs; 0 before the first.</summary>
        public double UsualRun { get; set; }
    }

    public override int RaisedCount => _raised;

    public override void OnReading(string key, int keyIndex, ReadingView reading, long t, Emitter emit)
    {
        var s = State(key, keyIndex);
        var values = reading.Values;
        int n = Rule.Fields.Count == 0 ? values.Length : Rule.Fields.Count;
        // The compared values, on the stack: a copy is kept only when a new run starts.
        Span<double> now = n <= Reading.MaxValues ? stackalloc double[Reading.MaxValues] : new double[n];
        now = now[..n];
        for (int i = 0; i < n; i++)
        {
            if (Rule.Fields.Count == 0) now[i] = values[i].Value;
            else if (!Rules.Condition.TryFind(values, Rule.Fields[i], out now[i])) return;
        }
        if (s.Run > 0 && now.SequenceEqual(s.Last))
        {
            s.Run++;
            if (s.Run >= Rule.Count && (Rule.Factor <= 0 || s.UsualRun > 0 && s.Run > Rule.Factor * s.UsualRun) && !s.Raised)
            {
                s.Raised = true;
                s.EpisodeStart = s.RunStart;
                s.Episode++;
                _raised++;
                emit.Alert(Rule, key, true, t, s.RunStart, s.RunStart, t, Values(reading, s.Run), s.Episode);
            }
            return;
        }
        if (s.Raised)
        {
            s.Raised = false;
            _raised--;
            emit.Alert(Rule, key, false, t, s.EpisodeStart, s.EpisodeStart, t, Values(reading, s.Run), s.Episode);
        }
        if (s.Run > 0 && !s.Raised) s.UsualRun = s.UsualRun == 0 ? s.Run : s.UsualRun + (s.Run - s.UsualRun) / 8;
        s.Last = now.ToArray();
        s.Run = 1;
        s.RunStart = t;
    }

    private List<ReadingValue> Values(ReadingView r, int run)
    {
        var list = new List<ReadingValue>();
        foreach (var v in r.Values)
            if ((Rule.Fields.Count == 0 || Rule.Fields.Contains(v.Name)) && list.Count < Reading.MaxValues - 5) list.Add(v);
        list.Add(new ReadingValue("repeats", run, "1"));
        return list;
    }

    public override void LoadState(string json)
    {
        base.LoadState(json);
        _raised = States.Values.Count(s => s.Raised);
        NextDeadline = long.MaxValue;
    }
}
