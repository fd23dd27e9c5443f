using System.Text.Json.Nodes;
using Edge.Log;
using Edge.Readings;
using Edge.Streams.Configuration;
using Edge.Streams.Rules;

namespace Edge.Streams.Engine;

/// <summary>
/// The rules over a stream of readings, with the time semantics of STREAMS.md §3: a watermark per input partition
/// (its newest event time minus AllowedLateness), late readings counted and left out, readings stamped too far in
/// the future left out of time, and a rule clock — the lowest watermark of the partitions that are not idle — that
/// closes windows and fires silence and sequence deadlines. Deterministic: the same readings in the same per-partition
/// order give the same alerts (§6). No I/O; the service feeds it and persists its <see cref="Snapshot"/>.
/// Not thread-safe: one thread drives it.
/// </summary>
public sealed class StreamEngine
{
    private readonly Dictionary<string, RuleEvaluator[]> _byKind = new(StringComparer.Ordinal);
    private readonly RuleEvaluator[] _anyKind;
    private readonly List<RuleEvaluator> _all = [];
    private readonly Dictionary<TopicPartition, PartitionClock> _partitions = [];
    // The same partitions as arrays: a handful, scanned for every reading faster than a lookup hashes the topic name.
    private TopicPartition[] _tps = [];
    private PartitionClock[] _clocks = [];
    // At most the lowest NextDeadline of all rules: while the clock is below it no rule has anything to do.
    private long _minDeadline = long.MinValue;
    // The rules of the last kind seen (kinds are shared strings: a reference compare before a lookup).
    private string? _lastKind;
    private RuleEvaluator[] _lastRules = [];
    private readonly IReadOnlyDictionary<string, string> _sites;
    private readonly Emitter _emitter;
    private readonly SensorTable _sensors = new();
    private readonly StoredReadingParser _parser;
    private readonly ReadingView _view = new();
    private readonly long _latenessMs, _idleMs, _futureMs;
    private long _clock = long.MinValue;

    public StreamEngine(IReadOnlyList<RuleDefinition> rules, StreamsOptions options, IReadOnlyDictionary<string, string>? sites = null)
    {
        Rules = rules;
        _sites = sites ?? new Dictionary<string, string>();
        _emitter = new Emitter(options.AlertTopic);
        _parser = new StoredReadingParser(_sensors);
        _latenessMs = (long)options.AllowedLateness.TotalMilliseconds;
        _idleMs = (long)options.IdleTimeout.TotalMilliseconds;
        _futureMs = (long)options.MaxFutureSkew.TotalMilliseconds;
        var any = new List<RuleEvaluator>();
        var byKind = new Dictionary<string, List<RuleEvaluator>>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            RuleEvaluator e = rule.Type switch
            {
                RuleType.Threshold => new ThresholdEvaluator(rule),
                RuleType.Aggregate or RuleType.Rate or RuleType.Summary => new WindowEvaluator(rule),
                RuleType.Absence => new AbsenceEvaluator(rule),
                RuleType.Stuck => new StuckEvaluator(rule),
                _ => new SequenceEvaluator(rule),
            };
            _all.Add(e);
            foreach (var kind in e.Kinds)
            {
                if (kind is null) any.Add(e);
                else
                {
                    if (!byKind.TryGetValue(kind, out var list)) byKind[kind] = list = [];
                    list.Add(e);
                }
            }
        }
        _anyKind = [.. any];
        foreach (var (k, list) in byKind) _byKind[k] = [.. list.Concat(any)];
    }

    public IReadOnlyList<RuleDefinition> Rules { get; }

    /// <summary>The rule clock (Unix ms): windows ending at or before it are closed.</summary>
    public long Clock => _clock;

    /// <summary>Readings that came later than their partition's watermark allows (all rules).</summary>
    public long Late => _partitions.Values.Sum(p => p.Late);

    /// <summary>Readings stamped more than MaxFutureSkew ahead of the gateway clock.</summary>
    public long Future => _partitions.Values.Sum(p => p.Future);

    /// <summary>The next offset to read per input partition (what a checkpoint resumes from).</summary>
    public IReadOnlyDictionary<TopicPartition, long> Offsets => _partitions.ToDictionary(p => p.Key, p => p.Value.NextOffset);

    public IReadOnlyList<RuleStatus> Statuses => _all.Select(e => new RuleStatus(e.Rule.Name, e.Rule.Type.ToString().ToLowerInvariant(), e.Rule.Describe(), e.Matched, e.Late, e.RaisedCount)).ToList();

    /// <summary>
    /// Handles the reading at <paramref name="offset"/> of <paramref name="tp"/>; what rules emit is added to
    /// <paramref name="output"/>. <paramref name="nowMs"/> is the gateway clock (for the future-skew and idle checks).
    /// </summary>
    public void Process(TopicPartition tp, long offset, Reading reading, long nowMs, List<Emitted> output)
    {
        var sensor = _sensors.Get(reading.SensorId);
        _view.Set(sensor.Id, sensor.Index, reading.Kind, reading.Timestamp.ToUnixTimeMilliseconds());
        foreach (var v in reading.Values) _view.Add(v);
        Process(tp, offset, nowMs, output);
    }

    /// <summary>
    /// The same for a reading in its stored binary form (READINGS.md §1), read without building a
    /// <see cref="Reading"/> (the service's path). False, and nothing changed, when <paramref name="stored"/> is not
    /// exactly one reading <see cref="ReadingBinaryCodec.Decode"/> would accept.
    /// </summary>
    public bool Process(TopicPartition tp, long offset, ReadOnlySpan<byte> stored, long nowMs, List<Emitted> output)
    {
        if (!_parser.TryParse(stored, _view)) return false;
        Process(tp, offset, nowMs, output);
        return true;
    }

    private void Process(TopicPartition tp, long offset, long nowMs, List<Emitted> output)
    {
        var reading = _view;
        var pc = PartitionOf(tp) ?? AddPartition(tp, new PartitionClock());
        pc.NextOffset = Math.Max(pc.NextOffset, offset + 1);
        pc.LastSeenAt = nowMs;
        long t = reading.TimeMs;
        if (!ReferenceEquals(reading.Kind, _lastKind))
        {
            _lastRules = _byKind.TryGetValue(reading.Kind, out var rules) ? rules : _anyKind;
            _lastKind = reading.Kind;
        }
        var evaluators = _lastRules;
        if (t > nowMs + _futureMs)
        {
            pc.Future++;
            return;
        }
        if (pc.MaxEventTime != long.MinValue && t < pc.MaxEventTime - _latenessMs)
        {
            pc.Late++;
            foreach (var e in evaluators) if (Applies(e.Rule, tp, reading)) e.Late++;
            return;
        }
        bool advanced = t > pc.MaxEventTime;
        if (advanced) pc.MaxEventTime = t;
        _emitter.Output = output;
        foreach (var e in evaluators)
        {
            var rule = e.Rule;
            if (!Applies(rule, tp, reading) || Key(rule, reading) is not { } key) continue;
            e.Matched++;
            e.OnReading(key, rule.KeyBy == KeyBy.Sensor ? reading.SensorIndex : -1, reading, t, _emitter);
            if (e.NextDeadline < _minDeadline) _minDeadline = e.NextDeadline;
        }
        if (advanced) AdvanceClock(nowMs, output);
    }

    /// <summary>Whether the engine has a clock for <paramref name="tp"/> (it had a reading, or is held).</summary>
    public bool Knows(TopicPartition tp) => _partitions.ContainsKey(tp);

    /// <summary>
    /// Makes a partition not read yet hold the clock back at its first unread reading, stamped
    /// <paramref name="firstEventMs"/> (STREAMS.md §3.1): a backlog is then judged the same whichever partition the
    /// reader takes first. Without it a partition counts only from its first reading, and the others could close its
    /// windows before it is read. A partition the engine already knows is left as it is.
    /// </summary>
    public void Hold(TopicPartition tp, long nextOffset, long firstEventMs, long nowMs)
    {
        if (_partitions.ContainsKey(tp) || firstEventMs > nowMs + _futureMs) return; // a future reading would not count either
        AddPartition(tp, new PartitionClock { NextOffset = nextOffset, MaxEventTime = firstEventMs, LastSeenAt = nowMs });
    }

    private PartitionClock? PartitionOf(TopicPartition tp)
    {
        var tps = _tps;
        for (int i = 0; i < tps.Length; i++)
            if (tps[i].Partition == tp.Partition && tps[i].Topic == tp.Topic) return _clocks[i];
        return null;
    }

    private PartitionClock AddPartition(TopicPartition tp, PartitionClock pc)
    {
        _partitions[tp] = pc;
        _tps = [.. _partitions.Keys];
        _clocks = [.. _partitions.Values];
        return pc;
    }

    /// <summary>Lets idle partitions stop holding the clock back; call every second or so while nothing arrives.</summary>
    public void Tick(long nowMs, List<Emitted> output) => AdvanceClock(nowMs, output);

    private static bool Applies(RuleDefinition rule, TopicPartition tp, ReadingView reading) =>
        (rule.Topic is null || rule.Topic == tp.Topic) && rule.Sensors.Matches(reading.SensorId);

    private string? Key(RuleDefinition rule, ReadingView r) => rule.KeyBy switch
    {
        KeyBy.Sensor => r.SensorId,
        KeyBy.Site => _sites.TryGetValue(r.SensorId, out var site) ? site : r.SensorId,
        _ => Condition.TryFind(r.Values, rule.KeyField!, out double v) ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
    };

    private void AdvanceClock(long nowMs, List<Emitted> output)
    {
        long min = long.MaxValue;
        bool any = false;
        foreach (var pc in _clocks)
        {
            if (pc.MaxEventTime == long.MinValue || nowMs - pc.LastSeenAt > _idleMs) continue;
            any = true;
            min = Math.Min(min, pc.MaxEventTime - _latenessMs);
        }
        // Every partition idle: the gateway's own clock stands in (minus the idle timeout, so a reading that was only
        // slow is not late), or a gateway whose sensors all went quiet would never see them fall silent.
        if (!any) min = _partitions.Count == 0 ? long.MinValue : nowMs - _idleMs - _latenessMs;
        if (min <= _clock) return;
        _clock = min;
        if (_clock < _minDeadline) return;
        _emitter.Output = output;
        long next = long.MaxValue;
        foreach (var e in _all)
        {
            if (e.NextDeadline <= _clock) e.OnClock(_clock, _emitter);
            next = Math.Min(next, e.NextDeadline);
        }
        _minDeadline = next;
    }

    /// <summary>The engine's state as JSON: partition clocks and offsets, the rule clock, and every rule's state (STREAMS.md §6).</summary>
    public JsonObject Snapshot()
    {
        var partitions = new JsonObject();
        foreach (var (tp, pc) in _partitions)
            partitions[tp.ToString()] = new JsonObject { ["next"] = pc.NextOffset, ["max"] = pc.MaxEventTime, ["late"] = pc.Late, ["future"] = pc.Future };
        var rules = new JsonObject();
        foreach (var e in _all)
            rules[e.Rule.Name] = new JsonObject
            {
                ["definition"] = e.Rule.Describe(),
                ["matched"] = e.Matched,
                ["late"] = e.Late,
                ["clock"] = e is WindowEvaluator w ? w.Clock : null,
                ["deadline"] = e.NextDeadline,
                ["state"] = e.SaveState(),
            };
        return new JsonObject { ["clock"] = _clock, ["partitions"] = partitions, ["rules"] = rules };
    }

    /// <summary>
    /// Restores a <see cref="Snapshot"/>. A rule whose definition changed since (or that is new) starts empty: its old
    /// state would mean something else. Processing time restarts now: no partition is idle right after a restart.
    /// Restoring emits nothing: every output of the saved state was emitted before the snapshot, and what is due
    /// (a deadline the clock passed before the snapshot) is emitted at the clock's next step, as without a restart.
    /// </summary>
    public void Restore(JsonObject snapshot, long nowMs)
    {
        _clock = (long)snapshot["clock"]!;
        foreach (var (name, node) in snapshot["partitions"]!.AsObject())
        {
            int slash = name.LastIndexOf('/');
            AddPartition(new TopicPartition(name[..slash], int.Parse(name[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture)), new PartitionClock
            {
                NextOffset = (long)node!["next"]!,
                MaxEventTime = (long)node["max"]!,
                Late = (long)node["late"]!,
                Future = (long)node["future"]!,
                LastSeenAt = nowMs,
            });
        }
        var rules = snapshot["rules"]!.AsObject();
        foreach (var e in _all)
        {
            if (rules[e.Rule.Name] is not JsonObject r || (string?)r["definition"] != e.Rule.Describe()) continue;
            e.LoadState((string)r["state"]!);
            e.Matched = (long)r["matched"]!;
            e.Late = (long)r["late"]!;
            if (e is WindowEvaluator w && r["clock"] is { } c) w.Clock = (long)c;
            // Not recomputed by an OnClock here: what it emitted would have nowhere to go, and a deadline the clock
            // already passed (a window opened behind it) must fire at the next step as in the uninterrupted run.
            if (r["deadline"] is { } d) e.NextDeadline = (long)d;
        }
        _minDeadline = long.MinValue; // the next clock step asks every rule
    }
}
