using System.Collections.Concurrent;
using System.Text;
using Edge.Log;
using Edge.Readings;
using Edge.Streams.Alerts;
using Edge.Streams.Configuration;
using Edge.Streams.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Streams.Hosting;

/// <summary>
/// Runs the rules as consumer group "streams" of the log (so they replay, resume and show lag like the uplink): reads
/// the input topics, feeds the <see cref="StreamEngine"/>, appends what it emits to the alert and summary topics, and
/// checkpoints the engine with its input offsets to the compacted internal topic — alerts durable first, then the
/// checkpoint (STREAMS.md §6). On start it restores the newest checkpoint, and skips re-appending outputs whose keys
/// the crashed run had already written after it. Status members are thread-safe.
/// </summary>
public sealed class StreamsService : BackgroundService
{
    public const string GroupId = "streams";

    private readonly EdgeLog _log;
    private readonly StreamsOptions _options;
    private readonly RulesSettings _rules;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StreamEngine _engine;
    private readonly ConcurrentDictionary<string, AlertEvent> _current = new(StringComparer.Ordinal);
    private volatile IReadOnlyList<RuleStatus> _statuses;
    private long _unreadable, _alerts;
    private bool _caughtUp;

    public StreamsService(EdgeLog log, StreamsOptions options, RulesSettings rules, TimeProvider time, ILoggerFactory loggers)
    {
        _log = log;
        _options = options;
        _rules = rules;
        _time = time;
        _logger = loggers.CreateLogger<StreamsService>();
        _engine = new StreamEngine(rules.Definitions, options, rules.Sites);
        _statuses = _engine.Statuses;
    }

    /// <summary>Raised on the service's thread after an alert is durable in the alert topic.</summary>
    public event Action<AlertEvent>? AlertWritten;

    public IReadOnlyList<RuleStatus> Rules => _statuses;

    /// <summary>The latest event per rule and key ("rule/key"), raised or cleared.</summary>
    public IReadOnlyDictionary<string, AlertEvent> Current => _current;

    public long AlertsWritten => Interlocked.Read(ref _alerts);

    public long Unreadable => Interlocked.Read(ref _unreadable);

    public string AlertTopic => _options.AlertTopic;

    /// <summary>True when rules run: Streams:Enabled and at least one rule configured.</summary>
    public bool Active => _options.Enabled && _rules.Definitions.Count > 0;

    /// <summary>Creates the alert, checkpoint and summary topics before the uplink starts (it forwards the topics it finds).</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        EnsureTopics();
        return base.StartAsync(cancellationToken);
    }

    /// <summary>
    /// Creates the alert, checkpoint and summary topics when rules run and they are missing; idempotent. For consumers
    /// composed before the service starts (the local API follows the alert topic from its own start).
    /// </summary>
    public void EnsureTopics()
    {
        if (!Active) return;
        if (!_log.Topics.Any(t => t.Name == _options.AlertTopic))
        {
            // Block, not Evict: alerts are the last thing the disk budget may take (FORMAT.md §7.3); a zero flush
            // interval: an alert is durable at once, not when a group fills.
            _log.CreateTopic(new TopicConfig(_options.AlertTopic)
            {
                Priority = _options.AlertPriority,
                Overflow = OverflowPolicy.Block,
                RetentionTime = TimeSpan.FromDays(30),
                Flush = new FlushPolicy(1000, TimeSpan.Zero, true, 0),
            });
        }
        if (!_log.Topics.Any(t => t.Name == _options.CheckpointTopic))
            _log.CreateTopic(new TopicConfig(_options.CheckpointTopic) { Cleanup = CleanupPolicy.Compact, SegmentBytes = 1 << 20, RetentionTime = null, Priority = 1000, Overflow = OverflowPolicy.Block });
        foreach (var output in _rules.Definitions.Select(r => r.Output).OfType<string>().Distinct())
            if (!_log.Topics.Any(t => t.Name == output)) _log.CreateTopic(new TopicConfig(output) { Partitions = 1, Priority = 5 });
    }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!_options.Enabled || _rules.Definitions.Count == 0)
        {
            _logger.LogInformation("stream rules: none configured (section Rules)");
            return;
        }
        await Task.Yield();
        var outputs = new HashSet<string>(_rules.Definitions.Select(r => r.Output).OfType<string>().Append(_options.AlertTopic), StringComparer.Ordinal);
        var configured = _options.Topics.Count > 0 ? _options.Topics : _log.Topics.Select(t => t.Name).Where(n => !n.StartsWith('_') && !outputs.Contains(n)).ToList();
        var topics = _rules.Definitions.Any(r => r.Topic is null) ? configured.ToArray() : _rules.Definitions.Select(r => r.Topic!).Distinct().ToArray();
        foreach (var t in topics)
            if (!_log.Topics.Any(c => c.Name == t)) throw new InvalidOperationException($"Streams:Topics: topic '{t}' does not exist in the log (Log:Topics)");
        using var member = _log.Group(GroupId).Join(GroupId, topics);
        LoadCurrent();
        var suppressed = Restore(member, outputs);
        var positions = member.Assignment.ToDictionary(tp => tp, tp => _engine.Offsets.TryGetValue(tp, out long next) ? next
            : _log.GetPartitionInfo(tp.Topic, tp.Partition).LogStartOffset);
        _logger.LogInformation("stream rules: {Count} rules over {Topics}; alerts to {AlertTopic}; resuming at clock {Clock}",
            _rules.Definitions.Count, string.Join(", ", topics), _options.AlertTopic, _engine.Clock == long.MinValue ? "start" : DateTimeOffset.FromUnixTimeMilliseconds(_engine.Clock).ToString("O"));
        foreach (var r in _rules.Definitions) _logger.LogInformation("rule {Rule}: {Description}", r.Name, r.Describe());
        var output = new List<Emitted>();
        var pending = new List<(Task<RecordPosition> Append, Emitted What)>();
        long sinceCheckpoint = 0;
        long lastCheckpoint = _time.GetTimestamp();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                HoldBacklogs(positions);
                var (tp, records) = await PollAsync(positions, stop).ConfigureAwait(false);
                long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
                foreach (var rec in records)
                {
                    if (rec.Value is not { } value || _engine.Process(tp, rec.Offset, value.Span, now, output)) continue;
                    if (Interlocked.Increment(ref _unreadable) == 1) _logger.LogWarning("stream rules: {Partition} offset {Offset} is not a reading ({Error}); counted and skipped", tp, rec.Offset, WhyUnreadable(value.Span));
                }
                sinceCheckpoint += records.Count;
                if (records.Count == 0) _engine.Tick(now, output);
                Append(output, suppressed, pending);
                output.Clear();
                // Caught up (nothing left to read) is a checkpoint too: a restart then replays nothing.
                bool caughtUp = records.Count == 0 && !_caughtUp;
                bool due = sinceCheckpoint >= _options.CheckpointEvery || (sinceCheckpoint > 0 || pending.Count > 0) && (caughtUp || _time.GetElapsedTime(lastCheckpoint) >= _options.CheckpointInterval);
                if (pending.Any(p => p.What.Alert is not null) || due) await CompleteAsync(pending).ConfigureAwait(false);
                if (due)
                {
                    await CheckpointAsync(member, outputs).ConfigureAwait(false);
                    sinceCheckpoint = 0;
                    lastCheckpoint = _time.GetTimestamp();
                }
                _statuses = _engine.Statuses;
                if (caughtUp)
                    _logger.LogInformation("stream rules: caught up at clock {Clock}; {Alerts} alerts written, {Late} late and {Future} future readings so far",
                        _engine.Clock == long.MinValue ? "start" : DateTimeOffset.FromUnixTimeMilliseconds(_engine.Clock).ToString("O"), AlertsWritten, _engine.Late, _engine.Future);
                _caughtUp = records.Count == 0;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        // Stopping: what was emitted is made durable and checkpointed, so a clean restart replays nothing.
        await CompleteAsync(pending).ConfigureAwait(false);
        await CheckpointAsync(member, outputs).ConfigureAwait(false);
    }

    // The engine reads stored bytes without decoding them; the decoder, which refuses exactly the same records, names
    // what is wrong (field and byte) for the log.
    private static string WhyUnreadable(ReadOnlySpan<byte> value)
    {
        try
        {
            ReadingBinaryCodec.Decode(value);
            return "refused by the rules' reader";
        }
        catch (ReadingFormatException e)
        {
            return e.Message;
        }
    }

    // The group member's PollAsync returns records without their topic, and a rule may read several topics whose
    // partitions share numbers: this reads each assigned partition from its own position instead, in rotation, and
    // waits (no polling) for new data or a second, whichever comes first.
    private int _next;

    private async Task<(TopicPartition, IReadOnlyList<LogRecord>)> PollAsync(Dictionary<TopicPartition, long> positions, CancellationToken stop)
    {
        var tps = positions.Keys.ToList();
        for (int i = 0; i < tps.Count; i++)
        {
            var tp = tps[(_next + i) % tps.Count];
            var r = _log.Read(tp.Topic, tp.Partition, positions[tp], 256 << 10);
            positions[tp] = r.NextOffset;
            if (r.Records.Count > 0)
            {
                _next = (_next + i + 1) % tps.Count;
                return (tp, r.Records);
            }
        }
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
        wait.CancelAfter(TimeSpan.FromSeconds(1)); // wake to let idle partitions go and to checkpoint
        try
        {
            await Task.WhenAny(tps.Select(tp => _log.WaitForDataAsync(tp.Topic, tp.Partition, positions[tp], wait.Token))).ConfigureAwait(false);
        }
        finally
        {
            await wait.CancelAsync().ConfigureAwait(false);
        }
        return (default, []);
    }

    // The keys raised now, as stored: the newest event per rule and key in the alert topic (a restart then shows the
    // alerts raised before it, which the restored engine holds but will not emit again).
    private void LoadCurrent()
    {
        for (int p = 0; p < _log.GetTopic(_options.AlertTopic).Partitions; p++)
        {
            var info = _log.GetPartitionInfo(_options.AlertTopic, p);
            for (long o = info.LogStartOffset; o < info.HighWatermark;)
            {
                var r = _log.Read(_options.AlertTopic, p, o);
                foreach (var rec in r.Records)
                {
                    if (rec.Value is not { } value) continue;
                    try
                    {
                        if (AlertEvent.FromReading(ReadingBinaryCodec.Decode(value.Span)) is { } a) _current[$"{a.Rule}/{a.Key}"] = a;
                    }
                    catch (ReadingFormatException)
                    {
                        // Not an alert (only the rules write here): it does not change any key's state.
                    }
                }
                if (r.NextOffset <= o) break;
                o = r.NextOffset;
            }
        }
    }

    private HashSet<string> Restore(Edge.Log.Consumers.GroupMember member, HashSet<string> outputs)
    {
        var suppressed = new HashSet<string>(StringComparer.Ordinal);
        var checkpoint = Checkpoint.Load(_log, _options.CheckpointTopic);
        if (checkpoint is { } cp) _engine.Restore(cp.Engine, _time.GetUtcNow().ToUnixTimeMilliseconds());
        // Outputs the crashed run appended after its last checkpoint: the replay will emit them again, with the same
        // keys; they are not appended twice. Without a checkpoint that is every output: a run killed before its
        // first checkpoint (or one whose checkpoint topic was deleted) has its outputs replayed from the log start.
        var ends = checkpoint?.Outputs ?? [];
        foreach (var topic in outputs)
        {
            if (!_log.Topics.Any(t => t.Name == topic)) continue;
            for (int p = 0; p < _log.GetTopic(topic).Partitions; p++)
            {
                long from = ends.TryGetValue(new TopicPartition(topic, p), out long end) ? end : 0;
                var info = _log.GetPartitionInfo(topic, p);
                for (long o = Math.Max(from, info.LogStartOffset); o < info.HighWatermark;)
                {
                    var r = _log.Read(topic, p, o);
                    foreach (var rec in r.Records) if (rec.Key is { } k) suppressed.Add(Encoding.UTF8.GetString(k.Span));
                    if (r.NextOffset <= o) break;
                    o = r.NextOffset;
                }
            }
        }
        if (suppressed.Count > 0) _logger.LogInformation("stream rules: {Count} outputs written after the last checkpoint will not be written again", suppressed.Count);
        return suppressed;
    }

    // A partition the engine has not seen a reading of holds the clock at its first one as soon as it has one (at
    // start: its backlog), so the partition read first cannot close windows the others' readings belong in
    // (STREAMS.md §3.1). Once held (or read) the engine knows it: this costs a look at the empty partitions only.
    private void HoldBacklogs(Dictionary<TopicPartition, long> positions)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var (tp, next) in positions)
        {
            if (_engine.Knows(tp) || _log.GetPartitionInfo(tp.Topic, tp.Partition).HighWatermark <= next) continue;
            foreach (var rec in _log.Read(tp.Topic, tp.Partition, next, 64 << 10).Records)
            {
                if (rec.Value is not { } value) continue;
                try
                {
                    _engine.Hold(tp, next, ReadingBinaryCodec.Decode(value.Span).Timestamp.ToUnixTimeMilliseconds(), now);
                    break;
                }
                catch (ReadingFormatException)
                {
                    // not a reading: the poll loop counts it; the next record may be one
                }
            }
        }
    }

    private void Append(List<Emitted> output, HashSet<string> suppressed, List<(Task<RecordPosition>, Emitted)> pending)
    {
        foreach (var e in output)
        {
            if (e.Alert is { } a) _current[$"{a.Rule}/{a.Key}"] = a;
            if (suppressed.Remove(e.RecordKey)) continue;
            var record = new Record(Encoding.UTF8.GetBytes(e.RecordKey), ReadingBinaryCodec.Encode(e.Reading), e.Reading.Timestamp.ToUnixTimeMilliseconds());
            pending.Add((_log.AppendAsync(e.Topic, record, e.Alert is null ? null : TimeSpan.Zero).AsTask(), e));
            if (e.Alert is { } alert)
                _logger.LogWarning("alert {State}: {Rule} {Key} at {At:O} ({Values})", alert.State, alert.Rule, alert.Key,
                    DateTimeOffset.FromUnixTimeMilliseconds(alert.At), string.Join(", ", alert.Values.Select(v => $"{v.Name}={v.Value}")));
        }
    }

    private async Task CompleteAsync(List<(Task<RecordPosition> Append, Emitted What)> pending)
    {
        foreach (var (append, what) in pending)
        {
            await append.ConfigureAwait(false);
            if (what.Alert is { } a)
            {
                Interlocked.Increment(ref _alerts);
                AlertWritten?.Invoke(a);
            }
        }
        pending.Clear();
    }

    private async Task CheckpointAsync(Edge.Log.Consumers.GroupMember member, HashSet<string> outputs)
    {
        var ends = new Dictionary<TopicPartition, long>();
        foreach (var topic in outputs)
            for (int p = 0; p < _log.GetTopic(topic).Partitions; p++)
                ends[new TopicPartition(topic, p)] = _log.GetPartitionInfo(topic, p).HighWatermark;
        var value = Checkpoint.Encode(_engine.Snapshot(), ends);
        await _log.AppendAsync(_options.CheckpointTopic, new Record(Checkpoint.Key, value, _time.GetUtcNow().ToUnixTimeMilliseconds()), TimeSpan.Zero).ConfigureAwait(false);
        // The group's committed offsets follow the checkpoint: they show lag; the checkpoint is what resumes.
        foreach (var (tp, next) in _engine.Offsets)
            if (member.Assignment.Contains(tp)) await member.CommitAsync(tp.Topic, tp.Partition, next).ConfigureAwait(false);
    }
}
