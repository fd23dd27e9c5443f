using Edge.Log;
using Edge.Log.Consumers;
using Edge.Uplink.Connection;
using Edge.Uplink.Flow;
using Edge.Uplink.Forwarding;
using Edge.Uplink.Payload;
using Microsoft.Extensions.Logging;

namespace Edge.Uplink;

/// <summary>
/// The uplink: consumer group "uplink" of the log, forwarding every partition of the forwarded topics to the upstream
/// broker with QoS 1 (one <see cref="PartitionForwarder"/> each), sharing one connection and one admission gate that
/// orders messages by topic priority and applies the catch-up rate limit. On stop it stops reading, waits a bounded
/// time for PUBACKs already owed so their offsets are committed, then disconnects cleanly.
/// </summary>
public sealed class Uplink : IAsyncDisposable
{
    public const string GroupId = "uplink";

    private readonly EdgeLog _log;
    private readonly UplinkOptions _options;
    private readonly string _gateway;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly MqttUplinkConnection? _connection;
    private readonly UplinkCounters _counters = new();
    private readonly List<PartitionForwarder> _forwarders = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TopicPartition, string> _stopped = new();
    private (long Timestamp, long Acked) _rateSample;
    private double _ackRate;

    public Uplink(EdgeLog log, UplinkOptions options, string gatewayId, TimeProvider time, ILoggerFactory loggers)
    {
        _log = log;
        _options = options;
        _gateway = gatewayId;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<Uplink>();
        if (options.Enabled) _connection = new MqttUplinkConnection(options, gatewayId, time, loggers.CreateLogger<MqttUplinkConnection>());
        _rateSample = (time.GetTimestamp(), 0);
    }

    public UplinkCounters Counters => _counters;

    /// <summary>Log topics this uplink forwards.</summary>
    public IReadOnlyList<string> Topics => _options.Topics.Count > 0
        ? _options.Topics
        : _log.UserTopics.Select(t => t.Name).Where(n => n != _options.DeadLetterTopic).ToList();

    public async Task RunAsync(CancellationToken stop)
    {
        if (_connection is null)
        {
            _logger.LogWarning("no upstream broker configured (Uplink:Host): buffer-only mode, readings stay in the log and nothing is marked delivered");
            return;
        }
        EnsureDeadLetterTopic();
        var topics = Topics;
        foreach (string t in topics) _log.GetTopic(t); // unknown topics fail here, naming the topic
        var group = _log.Group(GroupId);
        using var member = group.Join($"uplink-{_gateway}", [.. topics]);
        var gate = new UplinkGate(_options.MaxInFlight, _options.CatchUp.ReadingsPerSecond, _options.CatchUp.BytesPerSecond, _time);
        var deadLetters = new DeadLetters(_log, _options.DeadLetterTopic);
        var logger = _loggers.CreateLogger<PartitionForwarder>();
        lock (_forwarders)
        {
            // One encoder each: encoders keep their buffers between messages.
            foreach (var tp in member.Assignment)
                _forwarders.Add(new PartitionForwarder(_log, group, member, tp, _log.GetTopic(tp.Topic).Priority, PayloadEncoder.Create(_options, _gateway), _connection, gate, deadLetters, _counters, _options, _time, logger));
        }
        _logger.LogInformation("uplink to {Endpoint}: forwarding {Topics} ({Partitions} partitions) as {Format}, {InFlight} in flight{Limit}",
            _connection.Endpoint, string.Join(", ", topics), _forwarders.Count, _options.Format, _options.MaxInFlight,
            _options.CatchUp.ReadingsPerSecond > 0 || _options.CatchUp.BytesPerSecond > 0 ? $", catch-up limit {_options.CatchUp.ReadingsPerSecond} readings/s {_options.CatchUp.BytesPerSecond} B/s" : "");
        using var connectionStop = new CancellationTokenSource();
        var connected = _connection.RunAsync(connectionStop.Token);
        try
        {
            await Task.WhenAll(_forwarders.Select(f => SuperviseAsync(f, stop))).ConfigureAwait(false);
        }
        finally
        {
            connectionStop.Cancel();
            await connected.ConfigureAwait(false);
            gate.Dispose();
        }
    }

    // A forwarder that fails unexpectedly is logged and shown in status at once (not when Task.WhenAll ends at shutdown)
    // and restarted from its committed offset after a backoff (ReconnectMinDelay doubling up to ReconnectMaxDelay; back to
    // the minimum once a run has committed something), so one partition's fault neither stops the others nor ends its own
    // forwarding for good. Cancellation by the stop token is the only way out.
    private async Task SuperviseAsync(PartitionForwarder forwarder, CancellationToken stop)
    {
        int failures = 0;
        while (true)
        {
            long before = forwarder.Committed;
            TimeSpan delay;
            try
            {
                await forwarder.RunAsync(stop).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                if (stop.IsCancellationRequested)
                {
                    _logger.LogError(e, "uplink {Partition}: forwarding failed while stopping: {Error}", forwarder.Partition, e.Message);
                    return;
                }
                failures = forwarder.Committed != before ? 1 : failures + 1;
                delay = TimeSpan.FromTicks(Math.Min(_options.ReconnectMaxDelay.Ticks, _options.ReconnectMinDelay.Ticks << Math.Min(failures - 1, 20)));
                _stopped[forwarder.Partition] = $"{e.GetType().Name}: {e.Message}";
                _counters.Restarted();
                _logger.LogError(e, "uplink {Partition}: forwarding stopped at offset {Offset}: {Error}; restarting in {Delay:0.#} s (failure {Count} in a row)",
                    forwarder.Partition, forwarder.Committed, e.Message, delay.TotalSeconds, failures);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                await Task.Delay(delay, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _stopped.TryRemove(forwarder.Partition, out _);
            _logger.LogInformation("uplink {Partition}: forwarding restarts from offset {Offset}", forwarder.Partition, forwarder.Committed);
        }
    }

    public UplinkStatus Status()
    {
        long lag = 0;
        DateTimeOffset? oldest = null;
        List<PartitionForwarder> forwarders;
        lock (_forwarders) forwarders = [.. _forwarders];
        foreach (var f in forwarders)
        {
            var info = _log.GetPartitionInfo(f.Partition.Topic, f.Partition.Partition);
            long from = Math.Max(f.Committed, info.LogStartOffset);
            if (info.HighWatermark <= from) continue;
            lag += info.HighWatermark - from;
            ReadResult first;
            try
            {
                first = _log.Read(f.Partition.Topic, f.Partition.Partition, from, 1);
            }
            catch (Exception e) when (e is LogException or IOException)
            {
                continue; // unreadable just now (the forwarder reports it); the status line must still be written
            }
            if (first.Records.Count > 0)
            {
                var ts = DateTimeOffset.FromUnixTimeMilliseconds(first.Records[0].Timestamp);
                if (oldest is null || ts < oldest) oldest = ts;
            }
        }
        // Acknowledgement rate: exponentially smoothed over status calls.
        long now = _time.GetTimestamp(), acked = _counters.Readings;
        double seconds = _time.GetElapsedTime(_rateSample.Timestamp, now).TotalSeconds;
        if (seconds >= 1)
        {
            double rate = (acked - _rateSample.Acked) / seconds;
            _ackRate = _ackRate == 0 ? rate : 0.5 * _ackRate + 0.5 * rate;
            _rateSample = (now, acked);
        }
        var state = _connection?.State ?? UplinkState.BufferOnly;
        TimeSpan? drain = lag == 0 ? TimeSpan.Zero : _ackRate > 0 ? TimeSpan.FromSeconds(lag / _ackRate) : null;
        return new UplinkStatus(state, _connection?.Endpoint ?? "", _connection?.LastError, lag, oldest is { } o ? _time.GetUtcNow() - o : null,
            _ackRate, drain, acked, _counters.Resent, _counters.DeadLettered, new Dictionary<string, long>(_counters.Refusals),
            _counters.Unreadable, _stopped.ToDictionary(p => p.Key.ToString(), p => p.Value));
    }

    private void EnsureDeadLetterTopic()
    {
        if (_log.Topics.Any(t => t.Name == _options.DeadLetterTopic)) return;
        _log.CreateTopic(new TopicConfig(_options.DeadLetterTopic) { Partitions = 1, RetentionTime = TimeSpan.FromDays(30), Priority = 100, Overflow = OverflowPolicy.Block });
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
